// The two sorts GEOSEARCH uses, reproduced step for step so that matches at
// equal distances (two members at one spot) come out in Redis's order:
//   - qsort() from glibc 2.36 (Debian 12's Redis links it): a top-down merge
//     sort, halves n/2 and n - n/2, taking from the left half on cmp <= 0;
//   - pqsort() (Redis's pqsort.c, NetBSD's Bentley-McIlroy quicksort that
//     skips partitions outside the requested range), used under COUNT.
// Both use geo.c's comparator, which returns -1 for "not >" and "not ==" (so
// a NaN distance, possible for near-antipodal points, sorts as Redis does).
#include "redis/geo_search.h"

namespace sdp::redis {
namespace {

using Matches = std::vector<GeoMatch>;

// sort_gp_asc / sort_gp_desc.
int Compare(const GeoMatch& a, const GeoMatch& b, GeoSort sort) {
  int asc = a.distance > b.distance ? 1 : a.distance == b.distance ? 0 : -1;
  return sort == GeoSort::kDesc ? -asc : asc;
}

// glibc msort_with_tmp on [begin, begin + n). Recursion depth is log2(n).
void MergeSort(Matches* v, size_t begin, size_t n, GeoSort sort, Matches* tmp) {
  if (n <= 1) return;
  const size_t n1 = n / 2;
  const size_t n2 = n - n1;
  MergeSort(v, begin, n1, sort, tmp);
  MergeSort(v, begin + n1, n2, sort, tmp);
  tmp->clear();
  size_t i = begin, j = begin + n1;
  const size_t i_end = begin + n1, j_end = begin + n;
  while (i < i_end && j < j_end) {
    if (Compare((*v)[i], (*v)[j], sort) <= 0) {
      tmp->push_back(std::move((*v)[i++]));
    } else {
      tmp->push_back(std::move((*v)[j++]));
    }
  }
  while (i < i_end) tmp->push_back(std::move((*v)[i++]));
  // What is left of the right half is already in place.
  for (size_t k = 0; k < tmp->size(); ++k) (*v)[begin + k] = std::move((*tmp)[k]);
}

void Swap(Matches* v, size_t a, size_t b) { std::swap((*v)[a], (*v)[b]); }

// Swaps the n elements at a with the n at b (pqsort's vecswap).
void SwapRun(Matches* v, size_t a, size_t b, size_t n) {
  for (size_t k = 0; k < n; ++k) Swap(v, a + k, b + k);
}

size_t Median3(const Matches& v, size_t a, size_t b, size_t c, GeoSort sort) {
  return Compare(v[a], v[b], sort) < 0
             ? (Compare(v[b], v[c], sort) < 0 ? b : (Compare(v[a], v[c], sort) < 0 ? c : a))
             : (Compare(v[b], v[c], sort) > 0 ? b : (Compare(v[a], v[c], sort) < 0 ? a : c));
}

void InsertionSort(Matches* v, size_t a, size_t n, GeoSort sort) {
  for (size_t m = a + 1; m < a + n; ++m) {
    for (size_t l = m; l > a && Compare((*v)[l - 1], (*v)[l], sort) > 0; --l) Swap(v, l, l - 1);
  }
}

struct Span {
  size_t begin;
  size_t n;
};

// pqsort(a, n, cmp, lrange, rrange) in element indexes. Redis recurses into
// the left part and loops on the right; the parts are disjoint, so a work
// list gives the same result without recursion on input-sized depth.
void PartialQuickSort(Matches* v, size_t lrange, size_t rrange, GeoSort sort) {
  // Redis sorts a part only if it overlaps [lrange, rrange].
  auto overlaps = [&](size_t begin, size_t n) { return !(rrange < begin || lrange >= begin + n); };
  std::vector<Span> work = {{0, v->size()}};
  while (!work.empty()) {
    const Span s = work.back();
    work.pop_back();
    const size_t a = s.begin, n = s.n;
    if (n < 7) {
      InsertionSort(v, a, n, sort);
      continue;
    }
    size_t pm = a + n / 2;
    if (n > 7) {
      size_t pl = a, pn = a + n - 1;
      if (n > 40) {
        const size_t d = n / 8;
        pl = Median3(*v, pl, pl + d, pl + 2 * d, sort);
        pm = Median3(*v, pm - d, pm, pm + d, sort);
        pn = Median3(*v, pn - 2 * d, pn - d, pn, sort);
      }
      pm = Median3(*v, pl, pm, pn, sort);
    }
    Swap(v, a, pm);  // the pivot sits at a
    size_t pa = a + 1, pb = a + 1;
    // pc / pd may step one below a + 1; kept as "index + 1" to stay unsigned.
    size_t pc1 = a + n, pd1 = a + n;  // pc = pc1 - 1, pd = pd1 - 1
    bool swapped = false;
    for (;;) {
      int r = 0;
      while (pb + 1 <= pc1 && (r = Compare((*v)[pb], (*v)[a], sort)) <= 0) {
        if (r == 0) {
          swapped = true;
          Swap(v, pa++, pb);
        }
        ++pb;
      }
      while (pb + 1 <= pc1 && (r = Compare((*v)[pc1 - 1], (*v)[a], sort)) >= 0) {
        if (r == 0) {
          swapped = true;
          Swap(v, pc1 - 1, pd1 - 1);
          --pd1;
        }
        --pc1;
      }
      if (pb + 1 > pc1) break;
      Swap(v, pb, pc1 - 1);
      swapped = true;
      ++pb;
      --pc1;
    }
    if (!swapped) {  // everything already on its side: finish by insertion
      InsertionSort(v, a, n, sort);
      continue;
    }
    const size_t pn_end = a + n;
    // Move the runs equal to the pivot (at both ends) into the middle.
    size_t r = std::min(pa - a, pb - pa);
    SwapRun(v, a, pb - r, r);
    r = std::min(pd1 - pc1, pn_end - pd1);
    SwapRun(v, pb, pn_end - r, r);
    // Redis recurses into the left part first, then loops on the right.
    const size_t left_n = pb - pa;
    const size_t right_n = pd1 - pc1;
    if (right_n > 1 && overlaps(pn_end - right_n, right_n))
      work.push_back({pn_end - right_n, right_n});
    if (left_n > 1 && overlaps(a, left_n)) work.push_back({a, left_n});
  }
}

}  // namespace

void SortGeoMatches(std::vector<GeoMatch>* matches, GeoSort sort, uint64_t returned) {
  if (sort == GeoSort::kNone || matches->empty()) return;
  if (returned == matches->size()) {
    Matches tmp;
    tmp.reserve(matches->size());
    MergeSort(matches, 0, matches->size(), sort, &tmp);
  } else {
    PartialQuickSort(matches, 0, static_cast<size_t>(returned) - 1, sort);
  }
}

}  // namespace sdp::redis

// The ten steps of the design method and the built-in problems, each fully
// worked: an answer for every step, the estimator's inputs (step 3) and the
// architecture that runs (step 6), which is the problem's canonical scenario
// (scenarios/architecture/*.json, also its guided tour), so the worked
// numbers always come from a run, never from this file.

// [title, question, [[widget id, what it explores], ...]]; links open
// topic.html?t=ID.
export const STEPS = [
  ['Functional requirements', 'What must the system do? List the user-facing features, and what is out of scope.',
    [['rest', 'resources and methods']]],
  ['Non-functional requirements', 'Consistency or availability under a partition (CAP)? Read/write load, latency targets, load distribution, fault tolerance, GDPR, security, CI/CD, backups.',
    [['cap', 'CAP'], ['load-balancer', 'load distribution'], ['circuit-breaker', 'fault tolerance'], ['http-vs-https', 'security'], ['redis-persistence', 'backups and durability']]],
  ['Estimates', 'How many requests a second on average and at peak, reads and writes? Storage a day and over the retention, bandwidth, cache memory, servers?',
    [['estimator', 'back-of-the-envelope estimates']]],
  ['Core entities', 'Which entities and relations? What is the key of each, and how is it partitioned?',
    [['hash-ring', 'partitioning by key'], ['redis-zset', 'sorted sets']]],
  ['APIs', 'Which endpoints, with which methods, status codes and idempotency?',
    [['rest', 'REST over a layered system'], ['api-gateway', 'authentication and routing']]],
  ['High-level design and flow', 'Which components carry a request, in which order? Wire them below and run the traffic of step 3 through them.',
    [['load-balancer', 'balancing'], ['kafka', 'queues'], ['search-index', 'search']]],
  ['Deep dive', 'Which component is the hard part? How does it work inside, and what breaks first?',
    [['kafka', 'Kafka partitions and consumers'], ['cap', 'replication and quorums']]],
  ['Optimisations', 'Caching, sharding, replicas, async work, rate limits: which numbers improve, at what cost?',
    [['rate-limiter', 'rate limits'], ['hash-lab', 'hashing schemes'], ['realtime', 'pushing to clients']]],
  ['Verify the requirements', 'Does the run carry step 3\'s peak within the latency target? Compare the numbers below.',
    [['estimator', 'the estimate']]],
  ['Monitoring, logging and fault tolerance', 'What would page? Inject faults below (kill a replica, partition the cache, spike the traffic) and see which alerts fire.',
    [['circuit-breaker', 'breakers'], ['gossip', 'failure detection']]],
];

export const PROBLEMS = {
  url_shortener: {
    title: 'URL shortener',
    scenario: 'architecture/01_url_shortener.json',
    answers: [
      'Create a short link for a long URL (optionally a custom alias and an expiry); redirect a short link to its URL; count clicks. Out of scope: accounts, editing links.',
      'Available over consistent (AP): a redirect must work during a partition; a new link may take a moment to reach every replica. Reads dominate 100:1. p99 of a redirect under 100 ms. Links kept 5 years, replicated 3 times; backups daily. HTTPS only; rate-limit link creation per user.',
      '1M daily users x 10 requests = 10M a day: about 116 req/s on average, 2x at peak. 100:1 reads to writes, 500 B a link, 5 years, 3 replicas. The numbers are below, from the estimator.',
      'Link {code (7 chars base62, the key), url, created, expires, clicks}. Partition by code (a hash of it): redirects look up one key.',
      'POST /links {url, alias?} -> 201 Created, Location: /links/{code}; GET /{code} -> 301 to the URL (404 unknown, 410 expired). Idempotency-Key on POST so a retried create makes one link.',
      'users -> DNS -> L4 load balancer -> app (3 replicas) -> cache (the hottest 20 % of a million links, Zipf) -> database (a primary for writes, two read replicas). Writes go straight to the database.',
      'The code generator: a counter per app replica (ranges handed out by the database) avoids collisions without a round trip per link. The cache: Zipf popularity makes 20 % of the links most of the redirects.',
      'Cache redirects at the CDN too (301 is cacheable); shard the database by code once one primary is not enough; count clicks asynchronously through a queue.',
      'The run carries the peak with p99 well under 100 ms; writes and storage per day match the estimate within the sampling noise.',
      'Page on: database saturation over 80 %, p99 over 100 ms, error rate over 1 %. Losing a read replica raises the others\' load; losing the cache sends every redirect to the database - it saturates and pages.',
    ],
  },
  chat: {
    title: 'Chat',
    scenario: 'architecture/02_chat.json',
    answers: [
      'One-to-one and group messages, delivered in order per conversation; online presence; history on any device. Out of scope: voice and video.',
      'Per-conversation ordering and no lost messages (a durable queue); available over strongly consistent for presence. Sends and reads about 1:1. p99 delivery under 200 ms. End-to-end encryption; messages kept a year.',
      '2M daily users x 50 requests, peak 3x: about 3,500 req/s at peak, half of them sends. 200 B a message, 3 replicas. The numbers are below, from the estimator.',
      'Message {conversation_id, seq, sender, body, sent_at}, partitioned by conversation_id so one conversation stays in order on one partition; Conversation {id, members}.',
      'WebSocket for delivery (see the realtime widget); POST /conversations/{id}/messages -> 201 with the seq; GET /conversations/{id}/messages?after=seq for history.',
      'users -> API gateway (auth, a 5,000 req/s token bucket) -> L7 load balancer (least connections) -> chat service (4 replicas, a circuit breaker on its calls) -> a Kafka-like queue for sends; reads through a cache to the message store.',
      'The queue: one partition per conversation range keeps order; consumers write to the store and push to online recipients. The breaker stops the service piling up behind a slow store.',
      'Batch writes to the store; keep recent history in the cache; fan out presence by gossip instead of a central service.',
      'The run carries the estimated peak; sends match the estimated write rate and storage per day.',
      'Page on: the gateway refusing over 1 % (a spike past the rate limit), queue consumer lag over 10 s, p99 over 200 ms when the store slows down.',
    ],
  },
  news_feed: {
    title: 'News feed',
    scenario: 'architecture/03_news_feed.json',
    answers: [
      'Post; follow; see a feed of the people one follows, newest first, with images. Out of scope: ranking by machine learning, ads.',
      'Available and eventually consistent: a post may reach followers seconds later. 50 reads per post. p99 of a feed load under 250 ms. Media on a CDN. Posts kept 5 years, 3 replicas.',
      '5M daily users x 20 requests, peak 2x: about 2,300 req/s at peak. 1 KB a post. The numbers are below, from the estimator.',
      'User, Follow {follower, followee}, Post {id, author, body, media, at}, Feed {user -> post ids} precomputed (fan-out on write).',
      'POST /posts -> 201; GET /feed?cursor= -> a page of posts; POST /follows. Cursor pagination, not offsets.',
      'users -> CDN (40 % of reads answered at the edge) -> API gateway -> load balancer (power of two choices) -> feed service (6 replicas) -> cache (10,000 of 100,000 hot feeds, Zipf) -> database; new posts go to a fan-out queue.',
      'Fan-out on write for most users, on read for accounts with millions of followers (a hot key would flood the queue).',
      'A bigger cache (the hit share is the database\'s load), more fan-out consumers, read replicas per region.',
      'The run carries the estimated peak within the p99; storage per day matches the estimate.',
      'Page on: fan-out consumer lag over 10 s (posts arrive late), database saturation when the cache is partitioned, p99 over 250 ms.',
    ],
  },
};

// The problem's scenario steps: everything but the worksheet's answers.
// scenarioAt: path -> scenario (tours.mjs).
export function problemSteps(scenarioAt, problem) {
  const p = PROBLEMS[problem];
  return p ? scenarioAt(p.scenario)?.steps ?? [] : [];
}

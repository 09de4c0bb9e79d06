// Loaded before the widgets by many-widgets.html: a 256 MiB page budget
// instead of the default 1 GiB, so the test builds about 8 heavy rings
// instead of 35 (a quarter of the time) and still fills the budget.
import { setMemoryBudget } from '/wasm/sdp.mjs';

setMemoryBudget(256 * 1024 * 1024);

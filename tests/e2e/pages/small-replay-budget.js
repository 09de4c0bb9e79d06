// Loaded before the widgets by heavy-links.html: one replay may use 4,000,000
// units of work instead of the engine's scenario budget (50,000,000), so the
// test passes the budget with a few seconds of steps instead of many.
import { ReplayRunner } from '/web/replay-runner.mjs';

ReplayRunner.units = 4000000;

// What a Stop or timeout message says was stopped (src/core/run/stepProcess.ts): everything, in a
// process container (cgroup v2), or only what the process sweep could find without one. Tests that
// do not force a container accept either exact wording, so they pass on hosts without cgroup v2.

/** Regular expression source matching exactly one of the two wordings. */
export const STOPPED_WHAT = '(?:the step and everything it started|the step and every process it started that could be found) were stopped';

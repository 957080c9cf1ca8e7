// @berth/jobspec: filled in by the jobspec work.
export {};

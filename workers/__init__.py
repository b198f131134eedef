"""Workers: the studio's enrollment analysis, rendering and post-generation chain, run from a task queue.

`queues` (the Huey queues and the web process's JobQueue), `tasks` (what a worker
does with a job id), `maintenance` (dispatching what the broker missed, reaping jobs
whose worker died), `local` (worker processes the web process starts in the
embedded mode), `inline` (the GPU queue served inside the web process, for ZeroGPU);
`python -m workers` starts workers on any machine.
"""

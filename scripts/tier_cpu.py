#!/usr/bin/env python3
"""CPU cost per tier of one load-generator run, for scripts/bench.sh (docs/SCALING.md).

  tier_cpu.py run --label NAME --out CPU.json --report RUN.json --warmup W --duration D \\
      [--log FILE] [--tier NAME=PID[,PID...]]... -- starling-loadgen run ... --out RUN.json ...
  tier_cpu.py table CPU.json...

`run` starts the load generator, passes its stdout through and appends its stderr to --log.
The generator prints `create: ...`, `get: ...`, `like: ...` or `mixed: ...` on stderr just
before it opens its connections; its measured window opens WARMUP seconds later and lasts
DURATION seconds. Inside that window, MARGIN seconds in from each end (a tenth of DURATION, at
most 0.5 s, so connection set-up and the last requests stay outside), this takes two samples of:

  - each tier's CPU time: utime + stime from /proc/PID/stat of every PID given for the tier and
    of all its descendants, plus their cutime + cstime (children that exited and were reaped,
    e.g. a PostgreSQL backend that ended), so a process ending between the samples is counted;
  - the generator itself (tier `loadgen`);
  - the whole machine from /proc/stat: busy time (user, nice, system, irq, softirq), of which
    irq + softirq (loopback networking, when the kernel accounts interrupt time apart from
    tasks) and steal.

When the generator has written its report, the request rate of its measured window
((successes + errors) / measured seconds) times the sample interval is the number of requests
the CPU time is divided by: CPU-ms per 1,000 requests. The rate is the window's average, so
the figure assumes a steady rate across the window (the closed loop keeps it roughly so).
Runs without such a window (seed-check) get no figures. Clock-tick resolution (10 ms per
process per sample) bounds the precision of small tiers.

`table` prints the files' figures as one Markdown table.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")
WINDOW_LINE = re.compile(r"^(create|get|like|mixed): ")
# Tiers in the order the table shows them; others follow in order of appearance.
ORDER = ["node", "postgres", "redis", "nginx", "handler", "loadgen"]


def proc_table():
    """pid -> (ppid, own ticks, reaped children's ticks, name) for every process readable now."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        # The command name may contain spaces and parentheses: the fields follow the last ')'.
        comm = text[text.find("(") + 1:text.rfind(")")]
        fields = text[text.rfind(")") + 2:].split()
        try:
            ppid = int(fields[1])
            utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        except (IndexError, ValueError):
            continue
        table[int(name)] = (ppid, utime + stime, cutime + cstime, comm)
    return table


def machine():
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    cpu += [0] * (8 - len(cpu))
    user, nice, system, idle, iowait, irq, softirq, steal = cpu[:8]
    return {
        "busy": user + nice + system + irq + softirq,
        "irq": irq + softirq,
        "steal": steal,
    }


def sample(tiers):
    """CPU seconds so far of each tier (a tree of processes per root pid) and of the machine."""
    at = time.monotonic()
    table = proc_table()
    children = {}
    for pid, (ppid, _, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out = {}
    in_tiers = set()
    for tier, roots in tiers.items():
        seen, stack, ticks, alive = set(), [r for r in roots if r in table], 0, 0
        while stack:
            pid = stack.pop()
            if pid in seen:
                continue
            seen.add(pid)
            _, own, reaped, _ = table[pid]
            ticks += own + reaped
            alive += 1
            stack.extend(children.get(pid, []))
        out[tier] = {"secs": ticks / TICK, "processes": alive}
        in_tiers |= seen
    # Every other process, to name what else used the machine (a compiler, a kernel thread).
    others = {pid: (comm, own + reaped, ppid) for pid, (ppid, own, reaped, comm) in table.items()
              if pid not in in_tiers}
    m = machine()
    return at, out, {k: v / TICK for k, v in m.items()}, others


def parse_tiers(specs):
    tiers = {}
    for spec in specs:
        name, _, pids = spec.partition("=")
        if not name or not pids:
            sys.exit(f"tier_cpu.py: --tier wants NAME=PID[,PID...], got {spec!r}")
        tiers.setdefault(name, []).extend(int(p) for p in pids.split(",") if p.strip())
    return tiers


def cmd_run(args):
    tiers = parse_tiers(args.tier)
    log = open(args.log, "a", buffering=1) if args.log else sys.stderr
    proc = subprocess.Popen(args.command, stderr=subprocess.PIPE, text=True, errors="replace")
    tiers["loadgen"] = [proc.pid]
    marked = threading.Event()
    mark = {}

    def pump():
        for line in proc.stderr:
            log.write(line)
            if not marked.is_set() and WINDOW_LINE.match(line):
                mark["at"] = time.monotonic()
                mark["scenario"] = line.split(":", 1)[0]
                marked.set()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()

    margin = min(0.5, args.duration / 10)
    samples = None
    while not marked.wait(0.2):
        if proc.poll() is not None:
            break
    if marked.is_set():
        start = mark["at"] + args.warmup + margin
        end = mark["at"] + args.warmup + args.duration - margin
        time.sleep(max(0.0, start - time.monotonic()))
        first = sample(tiers)
        time.sleep(max(0.0, end - time.monotonic()))
        if proc.poll() is None:
            samples = (first, sample(tiers))
    code = proc.wait()
    reader.join(timeout=5)
    if args.log:
        log.close()

    result = {"label": args.label, "tiers": {}, "machine": None, "note": None}
    if samples is None:
        result["note"] = "no measured window (or the generator ended before it closed)"
    else:
        (t0, tiers0, m0, o0), (t1, tiers1, m1, o1) = samples
        secs = t1 - t0
        try:
            with open(args.report) as f:
                report = json.load(f)
        except (OSError, ValueError):
            report = None
        rate = None
        if report and report.get("measuredSecs"):
            total = report["total"]
            done = total["count"] + sum(total.get("errors", {}).values())
            rate = done / report["measuredSecs"]
            result["scenario"] = report.get("scenario")
            result["connections"] = report.get("connections")
            result["requestsPerSec"] = rate
            result["successesPerSec"] = total["count"] / report["measuredSecs"]
            result["errors"] = total.get("errors", {})
        result["sampleSecs"] = secs
        result["marginSecs"] = margin

        def figures(cpu_secs):
            cores = cpu_secs / secs
            per_1k = cores / rate * 1e6 if rate else None
            return {"cpuSecs": round(cpu_secs, 3), "cores": round(cores, 4),
                    "msPer1k": None if per_1k is None else round(per_1k, 3)}

        for tier in tiers:
            fig = figures(tiers1[tier]["secs"] - tiers0[tier]["secs"])
            fig["processes"] = tiers1[tier]["processes"]
            result["tiers"][tier] = fig
        result["machine"] = {k: figures(m1[k] - m0[k]) for k in m0}
        # Processes of no tier, by name (approximate): each process's own and reaped children's
        # time at the end less at the start; one that ended in between shows up in its parent's
        # reaped time, so its time at the start is taken off its parent's name. Matched by pid
        # alone: a kernel worker's name changes with its work.
        by_name = {}

        def name(comm):
            return re.sub(r"^(kworker)/.*", r"\1", comm)

        for pid, (comm, ticks, _) in o1.items():
            before = o0.get(pid)
            delta = ticks - before[1] if before and ticks >= before[1] else ticks
            by_name[name(comm)] = by_name.get(name(comm), 0) + delta
        for pid, (comm, ticks, ppid) in o0.items():
            if pid not in o1:
                parent = o1.get(ppid) or o0.get(ppid)
                key = name(parent[0]) if parent else name(comm)
                by_name[key] = by_name.get(key, 0) - ticks
        result["others"] = [{"name": n, "cores": round(t / TICK / secs, 3)}
                            for n, t in sorted(by_name.items(), key=lambda x: -x[1])[:5] if t > 0]
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    return code


def cell(fig):
    if not fig or fig.get("msPer1k") is None:
        return "-"
    return f"{fig['msPer1k']:.1f} ({fig['cores']:.2f})"


def cmd_table(args):
    runs = []
    for path in args.files:
        with open(path) as f:
            runs.append(json.load(f))
    runs = [r for r in runs if r.get("machine")]
    names = [t for t in ORDER if any(t in r["tiers"] for r in runs)]
    for r in runs:
        names += [t for t in r["tiers"] if t not in names]
    head = ["run", "requests/s"] + names + ["tiers together", "irq + softirq", "other", "machine busy",
                                            "largest others (cores)"]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 2) + "---|")
    for r in runs:
        rate = r.get("requestsPerSec")
        tiers = r["tiers"]
        row = [r["label"], f"{rate:,.0f}" if rate else "?"]
        row += [cell(tiers.get(t)) for t in names]
        m = r["machine"]
        together = sum(t["cpuSecs"] for t in tiers.values())
        # irq + softirq is shown for what it is; whether the kernel also charged it to the
        # processes it interrupted depends on its accounting (on the machine of docs/SCALING.md
        # it did: busy minus the tiers came out below zero when irq was taken off too), so
        # `other` is simply what no tier accounts for.
        other = m["busy"]["cpuSecs"] - together
        secs = r["sampleSecs"]

        def fig(cpu_secs):
            return {"cores": cpu_secs / secs,
                    "msPer1k": cpu_secs / secs / rate * 1e6 if rate else None}

        row += [cell(fig(together)), cell(m["irq"]), cell(fig(other)), cell(m["busy"])]
        row.append(", ".join(f"{o['name']} {o['cores']:.2f}" for o in r.get("others", [])[:3]
                             if o["cores"] >= 0.01) or "-")
        if r.get("errors"):
            row[1] += " (errors: " + ", ".join(f"{k}×{v}" for k, v in r["errors"].items()) + ")"
        print("| " + " | ".join(row) + " |")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("--label", required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--report", required=True, help="the JSON report the generator writes (--out)")
    run.add_argument("--warmup", type=float, required=True)
    run.add_argument("--duration", type=float, required=True)
    run.add_argument("--log", help="append the generator's stderr here (default: stderr)")
    run.add_argument("--tier", action="append", default=[], metavar="NAME=PID[,PID...]")
    run.add_argument("command", nargs=argparse.REMAINDER)
    table = sub.add_parser("table")
    table.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.cmd == "run":
        if args.command and args.command[0] == "--":
            args.command = args.command[1:]
        if not args.command:
            parser.error("run needs the generator's command after --")
        return cmd_run(args)
    return cmd_table(args)


if __name__ == "__main__":
    sys.exit(main())

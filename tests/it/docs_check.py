#!/usr/bin/env python3
"""docs_check.py - the documentation against the binary, as TAP.

    docs_check.py SOCK MAN_PAGE MARKDOWN...

1. Every sample marked in a markdown file is run again and compared with
   what the file shows.  A mark is an HTML comment (invisible when the
   file is rendered) right before a fenced block:

       <!-- doc-test transcript [OPTION...]
       setup commands (bash; their output is discarded)
       -->
       ```
       $ command
       what it prints
       ```

   runs every "$ " line of the block in one bash, after the setup, and
   compares the transcript ("$ command" and its merged stdout and stderr).

       <!-- doc-test script [OPTION...]
       bash commands whose merged stdout and stderr is the block
       -->

   runs the comment's commands and compares their output with the block.
   OPTIONs: ignore=REGEX drops the lines that match on both sides (other
   programs of the writer's computer, of the test machine); needs=CMD skips the sample
   when CMD is not installed; unordered=1 compares the lines as sets
   (sockets listed in the kernel's hash order); locale=NAME lets the
   commands pick their language (LC_ALL unset, LANG=C.UTF-8, SOCK_LOCALEDIR
   the build tree's catalog unless set: a "$ LANG=es_CL.UTF-8 sock ..."
   line prints Spanish) and skips the sample when locale NAME is not
   generated.  The commands see `sock` (the binary under
   test) and the helpers of PRELUDE below; each sample has 30 s, runs in
   a scratch directory of its own, and whatever it started is killed
   after it.  Ports the kernel chose, pids, inodes and times are
   normalised on both sides.

2. Every option the man page lists (the .TP lines of GLOBAL OPTIONS,
   CONNECT, LISTEN, RELAY and LIST) is accepted by the binary, and every
   option that `sock --help` and `sock COMMAND --help` list is in the man
   page.
"""
import difflib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

PRELUDE = r"""
mkdir .bin && ln -s "$SOCK" .bin/sock && PATH=$PWD/.bin:$PATH
# waitfor FILE REGEX: wait (10 s at most) until FILE has a line matching
waitfor() {
	for _ in $(seq 200); do grep -Eq -- "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
	echo "waitfor: no '$2' in $1" >&2; return 1
}
# ready FILE: a listener started with -v or --trace logged into FILE
# that it is bound
ready() { waitfor "$1" '(listening on|^getsockname)'; }
# listening PORT: something listens on TCP or UDP port PORT
listening() {
	for _ in $(seq 200); do
		[ -n "$(sock list -tuln sport = ":$1" | tail -n +3)" ] && return 0
		sleep 0.05
	done
	echo "listening: nothing on port $1" >&2; return 1
}
# term OUT 'COMMAND': run COMMAND (bash) in the background as in a
# terminal window: a pty as its stdin, OUT (which starts with
# "$ COMMAND") as its stdout and stderr; typein OUT TEXT types a line
# into it, typeshow OUT TEXT too and shows it in OUT as a terminal echoes
# it, eof OUT presses Ctrl-D
term() {
	printf '$ %s\n' "$2" > "$1"
	mkfifo "$1.ctl"
	python3 "$DOC_TTY" "$1.ctl" bash -c "$2" >> "$1" 2>&1 &
}
typein() { printf 'L%s\n' "$2" > "$1.ctl"; }
typeshow() { printf '%s\n' "$2" >> "$1"; typein "$@"; }
eof() { printf 'D\n' > "$1.ctl"; }
# started 'COMMAND': a listener or client as term starts it, shown from
# its command line down to the line that says it is bound or connected
started() {
	term started.out "$1"
	waitfor started.out '(listening on|^getsockname|connected to)' || return 1
	cat started.out
}
"""


def normalise(text):
    out = []
    for line in text.replace("\r", "").split("\n"):
        # ports the kernel chose (the ephemeral range), pids, times
        line = re.sub(r":(3[2-9]\d{3}|[4-6]\d{4})\b",
                      lambda m: ":PORT" if int(m.group(1)) < 65536
                      else m.group(0), line)
        line = re.sub(r"\b\d+/(sock|python3|nc)\b", r"PID/\1", line)
        line = re.sub(r"held by \d+/", "held by PID/", line)
        line = re.sub(r"\bin \d+\.\d+ s\b", "in T s", line)
        if line.startswith("unix "):  # a Unix row: the I-Node column
            line = re.sub(r"(LISTENING|CONNECTED|\s)\s+\d{3,}\s", r"\1 INODE ",
                          line)
        line = re.sub(r"\s+", " ", line).rstrip()
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


def samples(path):
    """(line number, mode, options, body, expected text) of each mark."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"<!-- doc-test (transcript|script)(.*)$", lines[i])
        if not m:
            i += 1
            continue
        start, mode = i + 1, m.group(1)
        opts = dict(w.split("=", 1) for w in shlex.split(m.group(2)))
        body = []
        i += 1
        while i < len(lines) and lines[i].strip() != "-->":
            body.append(lines[i])
            i += 1
        while i < len(lines) and not lines[i].lstrip().startswith("```"):
            i += 1
        fence = lines[i].lstrip() if i < len(lines) else ""
        indent = len(lines[i]) - len(fence) if i < len(lines) else 0
        block = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            block.append(lines[i][indent:])
            i += 1
        yield start, mode, opts, "\n".join(body), "\n".join(block)


def group_alive(pgid):
    """Whether a process of group pgid still runs (zombies do not)."""
    for pid in os.listdir("/proc"):
        try:
            stat = open("/proc/%s/stat" % pid).read()
        except (OSError, ValueError):
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def run_bash(script, cwd, env):
    # a network namespace of its own: no TIME_WAIT of an earlier sample
    p = subprocess.Popen(["unshare", "-n", "bash", "-c",
                          "ip link set lo up || exit\n" + script],
                         cwd=cwd, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        out = b"(timed out after 30 s)\n"
    # whatever the sample started in the background: its process group,
    # TERM first (a Unix listener removes its socket file), then KILL
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            break
        for _ in range(40):
            if not group_alive(p.pid):
                break
            time.sleep(0.05)
    p.wait()
    return out.decode("utf-8", "replace")


MARK = "@@doc-test@@"


def run_sample(mode, body, block, env):
    cwd = tempfile.mkdtemp(prefix="doc-test.")
    try:
        if mode == "script":
            return run_bash(PRELUDE + body + "\n", cwd, env)
        cmds = [l[2:] for l in block.split("\n") if l.startswith("$ ")]
        script = (PRELUDE + "{\n:\n" + body + "\n} > /dev/null 2>&1\n"
                  "exec 2>&1\n")
        for c in cmds:
            # the marker keeps $? for "$ echo $?"
            script += ("{ __rc=$?; printf '\\n%s\\n'; (exit $__rc); }\n%s\n"
                       % (MARK, c))
        out = run_bash(script, cwd, env).split("\n" + MARK + "\n")
        text = ""
        for c, o in zip(cmds, out[1:]):
            text += "$ " + c + "\n" + (o.rstrip("\n") + "\n" if o else "")
        return text
    finally:
        shutil.rmtree(cwd, ignore_errors=True)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = False

    def ok(self, good, what, detail=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if good else "not ok", self.n, what))
        if not good:
            self.failed = True
            for l in detail.rstrip("\n").split("\n"):
                print("# " + l)
        sys.stdout.flush()

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why))


RESULTS = {}


def outcome(mode, opts, body, block, env, fresh=False):
    """(want, got, seconds or None): the block and the build's output,
    normalised; the guides share their samples, run once."""
    key = (mode, body, block)
    secs = None
    if fresh or key not in RESULTS:
        t0 = time.monotonic()
        RESULTS[key] = run_sample(mode, body, block, env)
        secs = time.monotonic() - t0
    want, got = normalise(block), normalise(RESULTS[key])
    if "ignore" in opts:
        want = [l for l in want if not re.search(opts["ignore"], l)]
        got = [l for l in got if not re.search(opts["ignore"], l)]
    if opts.get("unordered"):
        want, got = sorted(want), sorted(got)
    return want, got, secs


def locale_generated(name):
    """Whether `locale -a` lists name (es_CL.UTF-8 as es_CL.utf8 too)."""
    want = name.lower().replace("utf-8", "utf8")
    try:
        names = subprocess.run(["locale", "-a"], capture_output=True,
                               timeout=10).stdout.decode().split()
    except (OSError, subprocess.TimeoutExpired):
        return False
    return want in (n.lower().replace("utf-8", "utf8") for n in names)


def localised(env):
    """env for a sample whose commands choose their own language."""
    env = {k: v for k, v in env.items()
           if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env["LANG"] = "C.UTF-8"
    env.setdefault("SOCK_LOCALEDIR",
                   os.path.join(os.path.dirname(env["SOCK"]), "locale"))
    return env


def check_samples(tap, path, env):
    name = os.path.relpath(path, os.path.join(HERE, "..", ".."))
    count = 0
    for line, mode, opts, body, block in samples(path):
        count += 1
        what = "%s:%d sample matches the build" % (name, line)
        need = opts.get("needs")
        if need and not shutil.which(need):
            tap.skip(what, need + " not installed")
            continue
        senv = env
        if "locale" in opts:
            if not locale_generated(opts["locale"]):
                tap.skip(what, "no %s locale" % opts["locale"])
                continue
            senv = localised(env)
        want, got, secs = outcome(mode, opts, body, block, senv)
        if got != want:
            # some samples race two processes (two writes that the guide
            # says may come as one read or two): a drift of the document
            # fails twice, a loaded machine hardly ever
            want, got, secs = outcome(mode, opts, body, block, senv, True)
            what += " (second run)"
        if secs is not None:
            what += " (%.1f s)" % secs
        detail = ""
        if got != want:
            detail = "\n".join(difflib.unified_diff(
                want, got, "the document", "the build", lineterm=""))
        tap.ok(got == want, what, detail)
    tap.ok(count > 0, "%s has marked samples (%d)" % (name, count))


# ---- options: the man page and --help ---------------------------------

SECTIONS = {"GLOBAL OPTIONS": None, "CONNECT": "connect", "LISTEN": "listen",
            "RELAY": "relay", "LIST": "list", "TOP": "top"}
VALUES = {"SECONDS": "1", "SECS": "1", "N": "1", "MODE": "auto",
          "FILE": "/dev/null", "COMMAND": "true", "'PROGRAM": "true",
          "PORT": "0", "FORMAT": "dot", "NS": "/proc/self/ns/net",
          "URL": "socks5://127.0.0.1:1080", "CIDR": "127.0.0.1", "UID": "0",
          "WHERE": "remote", "IDLE": "60"}


def man_options(path):
    """{command or None: [(option, metavariable or None)]}"""
    opts, section, after_tp = {}, None, False
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if line.startswith(".SH "):
            section = line[4:].strip().strip('"')
            continue
        if line == ".TP":
            after_tp = True
            continue
        if after_tp and section in SECTIONS:
            text = re.sub(r"\\f[BIRP]", " ", line).replace("\\-", "-")
            words = re.findall(r"[\w'.-]+", text)
            meta = next((w for w in words if w in VALUES), None)
            for w in words:
                if re.fullmatch(r"-[a-zA-Z0-9]|--[a-z][a-z-]*", w):
                    opts.setdefault(SECTIONS[section], []).append((w, meta))
        after_tp = False
    return opts


def help_options(text):
    found = []
    for line in text.split("\n"):
        if not re.match(r"\s+-", line):
            continue
        found += re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z0-9])\b",
                            line)
    return found


def check_options(tap, sock, man):
    opts = man_options(man)
    mantext = open(man, encoding="utf-8").read().replace("\\-", "-")
    sections = {}
    cur = None
    for l in mantext.split("\n"):
        if l.startswith(".SH "):
            cur = SECTIONS.get(l[4:].strip().strip('"'), "other")
        sections.setdefault(cur, []).append(l)
    tap.ok(all(c in opts for c in SECTIONS.values()),
           "the man page lists options for every command",
           "found: %s" % sorted(str(k) for k in opts))
    for cmd in SECTIONS.values():
        bad = []
        for opt, meta in opts.get(cmd, []):
            argv = [sock] + ([cmd] if cmd else []) + [opt]
            if meta:
                # sock -h COMMAND: a command's help, so name a real one
                help_of = cmd is None and opt in ("-h", "--help")
                argv.append("connect" if help_of else VALUES[meta])
            if opt not in ("-h", "--help", "--version"):
                argv.append("--help")
            r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=10)
            if r.returncode != 0:
                bad.append("%s: exit %d: %s" % (" ".join(argv[1:]),
                           r.returncode, r.stderr.decode().strip()))
        tap.ok(not bad, "every option of sock(1)'s %s is accepted (%d)"
               % (cmd or "global options", len(opts.get(cmd, []))),
               "\n".join(bad))
        argv = [sock] + ([cmd] if cmd else []) + ["--help"]
        r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=10)
        listed = help_options(r.stdout.decode())
        where = "\n".join(sections.get(cmd, []) + sections.get(None, []))
        missing = [o for o in listed
                   if not re.search(r"(?<![\w-])" + re.escape(o) + r"\b",
                                    where)]
        tap.ok(r.returncode == 0 and listed and not missing,
               "every option of 'sock %s--help' is in sock(1) (%d)"
               % (cmd + " " if cmd else "", len(listed)),
               "missing: %s" % " ".join(missing))


# ---- endpoints: every form the documents list is one sock accepts -----

def endpoint_forms(readme, man, help_text):
    forms = {}
    for line in open(readme, encoding="utf-8"):
        if line.startswith("| `"):
            first = line.split("|")[1]
            forms.setdefault("README.md", []).extend(
                re.findall(r"`([^`]+)`", first))
    section, after_tp = None, False
    for line in open(man, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith(".SH "):
            section = line[4:].strip()
        elif line == ".TP":
            after_tp = True
            continue
        elif after_tp and section == "ENDPOINTS" and line.startswith("."):
            args = shlex.split(line.split(" ", 1)[1]) if " " in line else []
            text = re.sub(r"\\f[BIRP]", "", "".join(args)).replace("\\-", "-")
            forms.setdefault("sock.1", []).extend(
                f.strip() for f in text.split(",") if f.strip())
        after_tp = False
    m = re.search(r"^endpoints:(.*(?:\n[ \t]+\S.*)*)", help_text, re.M)
    if m:
        forms["sock --help"] = [w for w in m.group(1).split()
                                if w[0] in "tu/:-HUu" or ":" in w]
    return forms


def instance(form):
    return (form.replace("HOST", "127.0.0.1").replace("PORT", "1")
            .replace("@NAME", "@sock-doc-test-none")
            .replace("./PATH", "./sock-doc-test/none")
            .replace("PATH", "/sock-doc-test/none"))


def check_endpoints(tap, sock, readme, man):
    help_text = subprocess.run([sock, "--help"], capture_output=True,
                               timeout=10).stdout.decode()
    for doc, forms in endpoint_forms(readme, man, help_text).items():
        bad = []
        for f in forms:
            # refused, not found or timed out is fine; 2 is "no endpoint"
            r = subprocess.run(["timeout", "-k", "1", "3", sock, "connect",
                                instance(f)], stdin=subprocess.DEVNULL,
                               capture_output=True)
            if r.returncode == 2:
                bad.append("%s: %s" % (f, r.stderr.decode().strip()))
        tap.ok(forms and not bad, "every endpoint form %s lists is accepted "
               "(%d)" % (doc, len(forms)), "\n".join(bad))


def check_list_examples(tap, sock, path):
    """The sock list command lines a document shows run (exit 0)."""
    name = os.path.basename(path)
    bad, count, fenced = [], 0, False
    for line in open(path, encoding="utf-8"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        line = re.sub(r"\\-", "-", line.strip()).replace("\\(aq", "'")
        if not re.match(r"sock list( |$)", line) or "[" in line:
            continue
        count += 1
        # (a pipe or a redirection ends the sock list part of the line)
        words = shlex.split(line, comments=True)
        cut = [i for i, w in enumerate(words) if w in ("|", ">", ">>")]
        words = words[:cut[0]] if cut else words
        r = subprocess.run([sock] + words[1:],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=20)
        if r.returncode != 0:
            bad.append("%s: exit %d: %s" % (line, r.returncode,
                                             r.stderr.decode().strip()))
    if count:
        tap.ok(not bad, "the %d sock list examples of %s run" % (count, name),
               "\n".join(bad))


def main():
    sock, man, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
    env = dict(os.environ, SOCK=sock, DOC_TTY=os.path.join(HERE,
               "doc_tty.py"), LC_ALL="C", HOME=os.environ.get("HOME", "/"))
    tap = Tap()
    for d in docs:
        if "doc-test" in open(d, encoding="utf-8").read():
            check_samples(tap, d, env)
        check_list_examples(tap, sock, d)
    check_list_examples(tap, sock, man)
    check_options(tap, sock, man)
    readme = [d for d in docs if d.endswith("README.md")]
    if readme:
        check_endpoints(tap, sock, readme[0], man)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())

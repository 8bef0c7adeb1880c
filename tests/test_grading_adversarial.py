"""Hostile and awkward submissions: what ``make grade`` guarantees, tested as an attacker would.

Every submission below (honest controls, attacks, damaged and odd files) is graded in
**one** batch by the real command line (``python -m course_grading grade``), in a
module-scoped fixture, while ``otter run`` (the reference) grades one submission in
parallel. Each test then asserts four things about its case:

1. **its row**: status, total and the sentence that explains it;
2. **no other row changed**: every other row is what its own case expects, and the
   table has exactly one row per file;
3. **no file outside the submission's sandbox changed**: the submissions folder, a fake
   instructor's home, the output folder, the course's ``exercises/``, ``data/``,
   ``course/`` and ``course_grading/`` hash the same before and after (the grade table
   aside, which must not change after the grader has exited);
4. **nothing is still running**: one second after the grader exits, no process carries
   the batch's marker (in its environment) or a case's token (in its command line).

The attacks are written as a student who knows the machine would write them: they get
the real paths of the masters, the output file, the instructor's home and the grader's
temporary folder, and each attack that succeeded would show in the score (the
notebook would then hold the right answers) or in a file or process left behind.

Run alone: ``.venv/bin/python -m pytest tests/test_grading_adversarial.py -q``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from course_grading import AUTOGRADER_DIR, MASTERS_DIR, STUDENT_DIR, synth

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EX = "ex03_military_technical"
NAMES = sorted(m.stem for m in MASTERS_DIR.glob("*.ipynb"))
TIMEOUT = "60"  # the default: generous, the machine may be shared
SLOW_TIMEOUT = "15"  # the endless loop runs in a second batch beside the first, with this limit
DISK_MB = "64"
SECRET = "instructor-secret-7f3a"  # in the grader's environment; no sandbox may see it


def student(name: str = EX) -> Path:
    return STUDENT_DIR / f"{name}.ipynb"


def master(name: str = EX) -> Path:
    return MASTERS_DIR / f"{name}.ipynb"


def _rendered_master(path: Path, ctx=None) -> None:
    """The master as a student could obtain it: its public edition, placeholders filled in."""
    from course_grading import editions

    path.write_text(json.dumps(editions.render(json.loads(master().read_text(encoding="utf-8")))))


def solution(q: str, extra: str = "") -> str:
    """The master's solution code of question ``q`` of exercise 3, then ``extra``."""
    body = "\n".join(src for kind, src in synth.solutions(master())[q] if kind == "code")
    return body + ("\n" + extra if extra else "")


def nb_with(answers: dict[str, str] | None = None, solve: bool = True, name: str = EX) -> dict:
    return synth.submission(student(name), master(name), answers=answers or {}, solve=solve)


# =========================================================================== the cases
@dataclass
class Case:
    """One file in the batch and what its row must say."""

    file: str
    status: str
    total: str = ""
    reason: tuple[str, ...] = ()
    content: object = None  # dict (notebook), bytes, or a callable(path, ctx)
    token: str = ""  # in the command line of every process the attack starts
    scores: dict[str, str] = field(default_factory=dict)
    slow: bool = False  # graded in the second batch, with a short time limit


def attack(code: str, **kw: str) -> str:
    """Attack code with the real paths written in (``{ROOT}``, ``{OUT}``, ...)."""
    for key, value in kw.items():
        code = code.replace("{" + key + "}", value)
    return code


def tied(q: str, code: str, spoil: str) -> str:
    """Question ``q`` answered right, then ``code`` (an attack) and ``spoil`` if it worked.

    A notebook of such cells scores full marks only if every attack failed; a defence
    that breaks costs its question, and the row says which.
    """
    return solution(q, code + "\n" + spoil)


PROBE = {
    # each answer is right only if a property of the sandbox holds
    "q1": tied(
        "q1",
        "import os\n"
        "_caps = [l for l in open('/proc/self/status').read().splitlines() if l.startswith('CapEff')]\n"
        "_root = not (os.getuid() == 65534 and os.geteuid() == 65534 and int(_caps[0].split()[1], 16) == 0)",
        "if _root:\n    q1 = 1999  # still root, or capabilities left",
    ),
    "q2": tied(
        "q2",
        "import os\n"
        "_seen = [p for p in ['{ROOT}/exercises', '{ROOT}/course_grading', '{ROOT}/tests', '{SUBMISSIONS}',\n"
        "         '{OUTDIR}', '{INSTRUCTOR}', '{GTMP}'] if os.path.exists(p)]",
        "if _seen:\n    q2_early = 1.0  # sees masters, submissions, the output or the instructor's files",
    ),
    "q3": tied(
        "q3",
        "import socket\n"
        "def _net():\n"
        "    for host, port in [('127.0.0.1', {PORT}), ('1.1.1.1', 53), ('10.0.2.2', 80)]:\n"
        "        try:\n"
        "            socket.create_connection((host, port), timeout=0.5).close()\n"
        "            return True\n"
        "        except OSError:\n"
        "            pass\n"
        "    return False",
        "if _net():\n    q3 = 0.5  # reached the network",
    ),
    "q4": tied(
        "q4",
        "import os\n_pids = [p for p in os.listdir('/proc') if p.isdigit()]",
        "if len(_pids) > 3:\n    q4 = 0  # sees other processes: no PID namespace of its own",
    ),
    "q5": tied(
        "q5",
        "import os, sys\n"
        "_written = []\n"
        "for _d in ['{ROOT}/course', '{ROOT}/data', sys.prefix, '/usr', '/etc', '/grader']:\n"
        "    try:\n"
        "        open(os.path.join(_d, 'probe.txt'), 'w').write('x')\n"
        "        _written.append(_d)\n"
        "    except OSError:\n"
        "        pass",
        "if _written or os.getcwd() != '/home/student':\n    q5 = {'A'}  # could write outside its folders",
    ),
    "q6": tied(
        "q6",
        "import os\n"
        "_leak = '{SECRET}' in repr(dict(os.environ)) or os.environ.get('HOME') != '/home/student'",
        "if _leak:\n    q6 = 'D'  # sees the grader's environment",
    ),
}

LATER = """import os, time
parent = os.getppid()
while os.getppid() == parent:  # wait until the notebook's process has ended
    time.sleep(0.05)
time.sleep(0.3)
for path, text in [("{OUT}", "file,total\\nalice,100\\n"), ("{SUBMISSIONS}/planted.ipynb", "{}"),
                   ("{INSTRUCTOR}/notes.txt", "rewritten")]:
    try:
        open(path, "w").write(text)
    except OSError:
        pass
try:
    os.remove("{INSTRUCTOR}/victim.txt")
except OSError:
    pass
time.sleep(60)
"""

BREAKOUT = {
    # read the answer keys and the grading code, copy the hidden tests out
    "q1": tied(
        "q1",
        "import glob, shutil\n"
        "_leaked = glob.glob('{ROOT}/exercises/masters/*') + glob.glob('{ROOT}/exercises/autograder/*')\n"
        "_leaked += glob.glob('{ROOT}/../*/exercises/masters/*.ipynb')\n"
        "for _z in glob.glob('{ROOT}/exercises/autograder/*.zip'):\n"
        "    for _dest in ['{INSTRUCTOR}/stolen.zip', '{SUBMISSIONS}/stolen.zip']:\n"
        "        try:\n"
        "            shutil.copy(_z, _dest)\n"
        "        except OSError:\n"
        "            pass\n"
        "try:\n"
        "    import course_grading.synth  # the course's tool that fills in the solutions\n"
        "    _leaked.append('course_grading')\n"
        "except ImportError:\n"
        "    pass",
        "if _leaked:\n    q1 = 1999  # the answer keys or the grading code were in reach",
    ),
    # read the other submissions
    "q2": tied(
        "q2",
        "import glob\n"
        "_others = glob.glob('{SUBMISSIONS}/**/*', recursive=True) + glob.glob('/home/*/*.ipynb')\n"
        "_others += [p for p in glob.glob('/tmp/*/*.ipynb') + glob.glob('/tmp/*/*/*.ipynb')]",
        "if _others:\n    q2_early = 1.0  # saw other students' notebooks",
    ),
    # write to, or delete, the instructor's files, the course's data and the masters
    "q3": tied(
        "q3",
        "import os\n"
        "_done = []\n"
        "for _p in ['{INSTRUCTOR}/notes.txt', '{INSTRUCTOR}/.bashrc', '{OUT}',\n"
        "           '{ROOT}/data/arms_transfers.csv',\n"
        "           '{ROOT}/exercises/masters/ex03_military_technical.ipynb']:\n"
        "    try:\n"
        "        with open(_p, 'a') as _fh:\n"
        "            _fh.write('\\npwned\\n')\n"
        "        _done.append(_p)\n"
        "    except OSError:\n"
        "        pass\n"
        "for _p in ['{INSTRUCTOR}/victim.txt', '{SUBMISSIONS}/solved.ipynb']:\n"
        "    try:\n"
        "        os.remove(_p)\n"
        "        _done.append(_p)\n"
        "    except OSError:\n"
        "        pass",
        "if _done:\n    q3 = 0.5  # wrote or deleted a file outside its folders",
    ),
    # kill the sibling graders and the scoring process
    "q4": tied(
        "q4",
        "import os, signal\n"
        "_killed = []\n"
        "for _pid in [p for p in os.listdir('/proc') if p.isdigit() and int(p) > 2]:\n"
        "    try:\n"
        "        _cmd = open('/proc/%s/cmdline' % _pid, 'rb').read()\n"
        "    except OSError:\n"
        "        continue\n"
        "    _grader = b'course_grading' in _cmd or b'runner.py' in _cmd or b'bwrap' in _cmd\n"
        "    if int(_pid) != os.getpid() and _grader:\n"
        "        try:\n"
        "            os.kill(int(_pid), signal.SIGKILL)\n"
        "            _killed.append(_pid)\n"
        "        except (ProcessLookupError, PermissionError):\n"
        "            pass\n"
        "try:\n"
        "    os.kill(-1, signal.SIGKILL)  # every process it may signal, but itself\n"
        "    _killed.append(-1)\n"
        "except ProcessLookupError:\n"
        "    pass",
        "if _killed:\n    q4 = 0  # found other processes to kill",
    ),
    # tamper with other submissions' work folders; pre-create the old predictable ones
    "q5": tied(
        "q5",
        "import glob, os\n"
        "_hit = []\n"
        "for _d in glob.glob('{GTMP}/*') + glob.glob('{GTMP}/*/*') + glob.glob('/tmp/course-grade-*/*'):\n"
        "    try:\n"
        "        open(os.path.join(_d, 'planted'), 'w').write('x')\n"
        "        os.chmod(_d, 0o777)\n"
        "        _hit.append(_d)\n"
        "    except OSError:\n"
        "        pass\n"
        "for _i in range(1, 50):\n"
        "    os.makedirs('{GTMP}/course-grade-x/s%d/tests' % _i, exist_ok=True)  # in its own /tmp",
        "if _hit:\n    q5 = {'A'}  # saw the grader's work folders",
    ),
    # start a daemon that rewrites the table, the instructor's notes and the submissions later
    "q6": tied(
        "q6",
        "import subprocess, sys\n"
        f"_later = {LATER!r}\n"
        "subprocess.Popen([sys.executable, '-c', _later, 'ADVERSARY-breakout'], start_new_session=True,\n"
        "                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)",
        "",
    ),
}

AGREEABLE = """\
class AgreeableText(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
    def strip(self, *a):
        return self
    def upper(self):
        return self
    def __iter__(self):
        return iter(["B", "D"])
"""

FOOLED = {
    # the hidden test computes its expected value from course.data: fake data
    "q1": """\
import course.data as _d
_real = _d.load
def _fake(name, *a, **k):
    t = _real(name, *a, **k)
    if name == "arms_transfers":
        t.loc[t["year"] == 1999, "russia_to_china_tiv_mn"] = 10**6
    return t
_d.load = _fake
q1 = 1999""",
    # replace the checks, the test runner and the value decoder
    "q2": """\
import course.checks as _c, course.checkfile as _cf, course.answers as _a
_c.number = lambda v, *a, **k: 2546.1666666666665
_c.close_to = lambda *a, **k: True
_cf.TestFile.run = lambda self, env: []
_a.decode = lambda data: 2546.1666666666665
q2_early, q2_late = 936.0, 2546.1666666666665""",
    # a patch on a line that starts with grader.check(
    "q3": 'q3 = 0.8611\ngrader.check("q3"); import course.checks as c; c.number = lambda *a, **k: 86.11',
    # a str subclass that equals anything
    "q5": AGREEABLE + 'q5 = AgreeableText("BD")',
    "q6": AGREEABLE + 'q6 = AgreeableText("B")',
}

FORGED = """\
import os, json, base64
for fd in range(3, 256):  # there is no result pipe to forge any more: try every descriptor
    try:
        os.write(fd, b'("done", {"questions": {"q1": {"score": 1.0, "possible": 1.0}}})\\n')
    except OSError:
        pass
payload = base64.b64decode("{PICKLE}")
open("/grader/out/values.pkl", "wb").write(payload)
forged = {"format": 1, "done": True, "total": 7, "questions": {
    q: {"score": 1, "possible": 1, "passed": True} for q in ["q2", "q3", "q4", "q5", "q6"]}}
forged["questions"]["q1"] = {"values": {"q1": {"$": "pickle", "data": base64.b64encode(payload).decode()}}}
open("/grader/out/values.json", "w").write(json.dumps(forged))
os._exit(0)"""

ENCODER = """\
import course.answers as A
A.encode = lambda v: {"$": "eval", "code": "__import__('os').system('touch {INSTRUCTOR}/eval-ran')"}
q1 = 2005"""

DAEMON_LOOP = """\
import subprocess, sys
# once the notebook is stopped at its time limit, rewrite the other batch's table and the notes
later = ("import os, time\\nparent = os.getppid()\\nwhile os.getppid() == parent:\\n    time.sleep(0.05)\\n"
         "for p in ['{OUT}', '{INSTRUCTOR}/notes.txt']:\\n    open(p, 'w').write('x')\\ntime.sleep(60)")
subprocess.Popen([sys.executable, "-c", later, "ADVERSARY-daemon-loop"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
import time
while True:
    time.sleep(0.5)"""

FORK_MANY = """\
import os, time
for _ in range(64):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        os.setsid()
        time.sleep(60)
        os._exit(0)"""

DISK_FILLER = """\
chunk = b"x" * (8 * 1024 * 1024)
for i in range(12):
    with open("/tmp/fill-%d" % i, "wb") as fh:
        fh.write(chunk)
import time
time.sleep(30)"""

SYMLINK_VALUES = """\
import os
os.symlink("{INSTRUCTOR}/answers.json", "/grader/out/values.json")
os._exit(0)"""

HUGE_VALUES_FILE = """\
import os
with open("/grader/out/values.json", "w") as fh:
    fh.write('{"questions": {"q1": {"values": {"q1": "' + "x" * (20 * 1024 * 1024) + '"}}}}')
os._exit(0)"""

OLD_INIT = (
    '# Set up the checks: grader.check("q1") runs the tests of question q1.\n'
    "import otter\nfrom course.exercise import notebook_file\n"
    'grader = otter.Notebook(notebook_file("ex03_military_technical"))'
)

AGREEMENT = {
    # q1 right when checked, changed later: the final value counts (otter run grades
    # these notebooks, whose grader.check is not otter's, on their final values too)
    "q1": solution("q1"),
    "q2": "q2_early = 936.0\nq2_late = 2546.1666666666665",  # swapped
    "q3": solution("q3", "q1 = 1999\nq3 = str(round(q3))"),  # text, and q1 changed after its check
    "q4": solution("q4", "1 / 0"),  # set, then the cell raises
    "q6": 'q6 = "D"',
}


class _Touch:
    """Unpickling this runs a command: the grader must never unpickle anything."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def old_version(path: Path, ctx: dict) -> None:
    nb = nb_with()
    nb["metadata"].pop("course", None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "Checks(" in "".join(cell["source"]):
            cell["source"] = OLD_INIT
    path.write_text(json.dumps(nb))


def no_metadata(path: Path, ctx: dict) -> None:
    nb = nb_with()
    nb["metadata"].pop("otter")
    path.write_text(json.dumps(nb))


def other_exercise(path: Path, ctx: dict) -> None:
    nb = nb_with()
    nb["metadata"]["otter"]["assignment_name"] = "ex99_unknown"
    path.write_text(json.dumps(nb))


def export_zip(path: Path, ctx: dict, two: bool = False) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{EX}.ipynb", json.dumps(nb_with()))
        if two:
            zf.writestr("copy.ipynb", json.dumps(nb_with()))


def zip_bomb(path: Path, ctx: dict) -> None:
    """A 40 MB notebook of spaces (over the 32 MB cap), deflated to about 40 KB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open(f"{EX}.ipynb", "w", force_zip64=True) as fh:
            block = b" " * (1024 * 1024)
            for _ in range(40):
                fh.write(block)


def huge_stored_outputs(path: Path, ctx: dict) -> None:
    nb = nb_with()
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "y" * (34 * 1024 * 1024)}]
    path.write_text(json.dumps(nb))


def many_cells(path: Path, ctx: dict) -> None:
    nb = nb_with()
    filler = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "x = 1"}
    nb["cells"] += [dict(filler) for _ in range(10_000)]
    path.write_text(json.dumps(nb))


def symlink_to(target: str):
    def make(path: Path, ctx: dict) -> None:
        path.symlink_to(target.replace("{INSTRUCTOR}", ctx["INSTRUCTOR"]))

    return make


def fifo(path: Path, ctx: dict) -> None:
    os.mkfifo(path)


def corrupt(path: Path, ctx: dict) -> None:
    path.write_text(json.dumps(nb_with())[:-40])


def hidden_folder(path: Path, ctx: dict) -> None:
    path.mkdir()
    (path / "copy.ipynb").write_text(json.dumps(nb_with()))


def _cases(ctx: dict) -> dict[str, Case]:
    """Every case by name; several names may share one notebook (one question each)."""
    import base64

    def a(code: str) -> str:
        return attack(code, **ctx)

    pickled = base64.b64encode(pickle.dumps(_Touch(f"{ctx['INSTRUCTOR']}/pickle-ran"))).decode()
    probe = nb_with({q: a(c) for q, c in PROBE.items()})
    breakout = nb_with({q: a(c) for q, c in BREAKOUT.items()})
    fooled = nb_with(FOOLED)
    odd_a = nb_with(
        {
            "q1": 'import sys\nsys.exit("bye")',
            "q2": "q2_early = transfers\nq2_late = None",
            "q3": 'q3 = float("nan")',
            "q4": "q4 = len(deals) / 0",
            "q5": "q5 = len",
            "q6": "q6 = True",
        }
    )
    odd_b = nb_with(
        {"q1": 'q1 = "2005"', "q3": 'q3 = "x" * 10**6', "q5": "q5 = []\nfor _ in range(100):\n    q5 = [q5]"}
    )
    resources = nb_with(
        {
            "q4": 'for _ in range(30):\n    print("z" * 1024 * 1024)\n' + solution("q4"),
            "q5": FORK_MANY + "\n" + solution("q5"),
            "q6": "big = bytearray(8 * 1024 ** 3)",
        }
    )
    twice = nb_with({"q1": "q1 = 1999"})
    ok7 = ("6 fully correct",)

    def share(file: str, status: str, total: str, content: object, **named: tuple) -> dict[str, Case]:
        return {
            n: Case(file, status, total, r[0], content, scores=r[1] if len(r) > 1 else {})
            for n, r in named.items()
        }

    return {
        # ---- honest controls: all right (full marks), untouched and all wrong (zero)
        "solved, spaces and unicode in its name": Case("学生 é (final).ipynb", "ok", "7", ok7, nb_with()),
        "solved exercise 7 (sets of letters)": Case(
            "solved-ex07.ipynb",
            "ok",
            _max("ex07_us_response"),
            ("fully correct",),
            nb_with(name="ex07_us_response"),
        ),
        "untouched": Case("untouched.ipynb", "ok", "0", ("still the placeholder",), _untouched(EX)),
        "all wrong": Case(
            "all-wrong.ipynb",
            "ok",
            "0",
            ("0 fully correct",),
            nb_with(
                {
                    "q1": "q1 = 3077",
                    "q2": "q2_early = 15277\nq2_late = 6552",
                    "q3": "q3 = 0.8611",
                    "q4": "q4 = 93",
                    "q5": 'q5 = {"A", "B"}',
                    "q6": 'q6 = "D"',
                }
            ),
        ),
        "master as submission": Case(
            f"{EX}-master.ipynb", "ok", "7", ("6 fully correct", "by its file name"), _rendered_master
        ),
        "agreement with otter run": Case(
            "agree.ipynb",
            "ok",
            "2",
            ("raised ZeroDivisionError",),
            nb_with(AGREEMENT),
            scores={"q1": "0", "q2": "0", "q3": "0", "q4": "1", "q5": "1", "q6": "0"},
        ),
        # ---- the sandbox's properties, one question each
        **share(
            "probe.ipynb",
            "ok",
            "7",
            probe,
            **{
                "runs as nobody, without capabilities": (ok7, {"q1": "1"}),
                "sees no masters, submissions, output or instructor's files": (ok7, {"q2": "2"}),
                "reaches no network": (ok7, {"q3": "1"}),
                "sees no other process": (ok7, {"q4": "1"}),
                "writes nowhere but its folders": (ok7, {"q5": "1"}),
                "sees none of the grader's environment": (ok7, {"q6": "1"}),
            },
        ),
        # ---- no isolation: what a notebook used to be able to do
        **share(
            "breakout.ipynb",
            "ok",
            "7",
            breakout,
            **{
                "reads the masters and the autograder, imports the grading code": (ok7, {"q1": "1"}),
                "reads other submissions": (ok7, {"q2": "2"}),
                "writes and deletes the instructor's files and the data": (ok7, {"q3": "1"}),
                "kills sibling graders": (ok7, {"q4": "1"}),
                "tampers with other work folders": (ok7, {"q5": "1"}),
                "setsid daemon that acts after the grader": (ok7, {"q6": "1"}),
            },
        ),
        # ---- tests fooled in place
        **share(
            "fooled.ipynb",
            "ok",
            "1",
            fooled,
            **{
                "course.data.load replaced": (("q1: AssertionError: q1 is not the year",), {"q1": "0"}),
                "checks, test runner and decoder replaced": (("q2: Hint",), {"q2": "0"}),
                "patch on a grader.check line": (("q3: Hint",), {"q3": "0"}),
                "str subclass that equals anything": (("made in the notebook",), {"q5": "0", "q6": "0"}),
            },
        ),
        "value encoder replaced": Case(
            "encoder.ipynb", "ok", "0", ("could not read",), nb_with({"q1": a(ENCODER)})
        ),
        # ---- faked results
        **share(
            "forged.ipynb",
            "ok",
            "0",
            nb_with({"q1": a(FORGED.replace("{PICKLE}", pickled))}, solve=False),
            **{
                "forged summary, written to every descriptor": (("q2: Hint: q2_early is None",),),
                "pickled object in the answers": (("could not read", "unknown kind of value ('pickle')"),),
            },
        ),
        "values file is a link out": Case(
            "symlink-values.ipynb", "error", "", ("could not be read",), nb_with({"q1": a(SYMLINK_VALUES)})
        ),
        "huge values file": Case(
            "huge-values.ipynb",
            "error",
            "",
            ("more than the grader reads",),
            nb_with({"q1": HUGE_VALUES_FILE}),
        ),
        # ---- wrong kinds of answer: a clear 0 with its reason
        **share(
            "odd.ipynb",
            "ok",
            "0",
            odd_a,
            **{
                "sys.exit in a cell": (("raised SystemExit: bye (and 1 more cells)", "q1 is None"),),
                "a DataFrame for a number": (("pandas DataFrame",),),
                "NaN": (("q3 is NaN",),),
                "a cell that raises": (("q4 is None",),),
                "a function": (("q5 is a function",),),
                "True for a letter": (("q6 is the yes/no value True",),),
            },
        ),
        **share(
            "odd-b.ipynb",
            "ok",
            "4",
            odd_b,
            **{
                "text for a number": (("q1 is text ('2005')",),),
                "a huge answer": (("too large for the grader",),),
                "a deeply nested answer": (("nested",),),
            },
        ),
        # ---- resources
        **share(
            "resources.ipynb",
            "ok",
            "6",
            resources,
            **{
                "30 MB printed": (("raised MemoryError",), {"q4": "1"}),
                "64 forked processes": (("raised MemoryError",), {"q5": "1"}),
                "memory hog": (("raised MemoryError",), {"q6": "0"}),
            },
        ),
        "endless loop, and a daemon": Case(
            "endless-loop.ipynb",
            "timeout",
            "",
            (f"Stopped after {SLOW_TIMEOUT} s", "still running, in cell"),
            nb_with({"q6": a(DAEMON_LOOP)}),
            token="daemon-loop",
            slow=True,
        ),
        "fills the disk": Case(
            "disk.ipynb", "error", "", (f"more than {DISK_MB} MB",), nb_with({"q6": DISK_FILLER})
        ),
        "kills itself": Case(
            "kill-self.ipynb",
            "error",
            "",
            ("killed by signal 9 (SIGKILL) in cell",),
            nb_with({"q6": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"}),
        ),
        "os._exit": Case(
            "crash.ipynb",
            "error",
            "",
            ("ended the grading run early",),
            nb_with({"q1": "import os\nos._exit(3)"}),
        ),
        # ---- batch safety: damaged, odd and hostile files
        "zip bomb": Case("bomb.zip", "error", "", ("larger than 32 MB once unpacked",), zip_bomb),
        "huge stored outputs": Case(
            "huge-outputs.ipynb", "error", "", ("more than the 32 MB",), huge_stored_outputs
        ),
        "10,000 cells": Case(
            "many-cells.ipynb", "error", "", ("code cells; the exercises have about 20",), many_cells
        ),
        "deep JSON notebook": Case(
            "deep.ipynb", "error", "", ("nested far too deeply",), b"[" * 100_000 + b"]" * 100_000
        ),
        "symlink to a master": Case(
            "link.ipynb", "skipped", "", ("outside the submissions folder",), symlink_to(str(master()))
        ),
        "symlink to a folder outside": Case(
            "linked-folder", "skipped", "", ("folder outside",), symlink_to("{INSTRUCTOR}")
        ),
        "named pipe": Case("pipe.ipynb", "skipped", "", ("Not a regular file",), fifo),
        "hidden folder": Case(".hidden", "skipped", "", ("hidden folder (1 file)",), hidden_folder),
        "checkpoints": Case(
            ".ipynb_checkpoints", "skipped", "", ("checkpoint copies (1 file)",), hidden_folder
        ),
        "a PDF": Case("essay.pdf", "skipped", "", ("Not a notebook (.pdf)",), b"%PDF-1.4"),
        "a hidden file": Case(".DS_Store", "skipped", "", ("hidden file",), b"\x00\x01"),
        "formula in the file name": Case('=HYPERLINK("evil","y").ipynb', "ok", "7", ok7, nb_with()),
        "newline in the file name": Case("alice\nbob.ipynb", "ok", "7", ok7, nb_with()),
        "same student twice, 1": Case(
            "carol/ex03.ipynb", "ok", "6", ("Same content as carol/ex03 (1).ipynb",), twice
        ),
        "same student twice, 2": Case(
            "carol/ex03 (1).ipynb", "ok", "6", ("Same content as carol/ex03.ipynb",), twice
        ),
        "older version of the exercise": Case(
            "old.ipynb", "ok", "7", ("older version", "6 fully correct"), old_version
        ),
        "renamed": Case(f"nested/{EX} (1).ipynb", "ok", "7", ok7, nb_with()),
        "no metadata": Case("my work.ipynb", "ok", "7", ("by its first cell",), no_metadata),
        "export zip": Case("export.zip", "ok", "7", ok7, export_zip),
        "zip of two": Case(
            "two.zip", "error", "", ("holds 2 notebooks",), lambda p, c: export_zip(p, c, two=True)
        ),
        "corrupted JSON": Case("corrupt.ipynb", "error", "", ("not valid JSON",), corrupt),
        "not a notebook": Case(
            "scan.ipynb", "error", "", ("not a notebook",), b"%PDF-1.4\n\xff\xfe\x00binary"
        ),
        "JSON, not a notebook": Case(
            "data.ipynb", "error", "", ("not a Jupyter notebook",), b'{"hello": "world"}'
        ),
        "empty file": Case("empty.ipynb", "error", "", ("file is empty",), b""),
        "other exercise": Case("other.ipynb", "error", "", ("no autograder here",), other_exercise),
    }


def _max(name: str) -> str:
    manifest = json.loads((AUTOGRADER_DIR / f"{name}.json").read_text())
    total = sum(q["points"] for q in manifest["questions"] if not q["manual"])
    return str(int(total)) if float(total).is_integer() else str(total)


def _untouched(name: str) -> dict:
    return json.loads(student(name).read_text())


# =========================================================================== the batch
def _snapshot(roots: list[Path], skip: set[Path]) -> dict[str, str]:
    out = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            here = Path(dirpath)
            dirnames[:] = [d for d in dirnames if here / d not in skip and d != "__pycache__"]
            for f in filenames + [d for d in dirnames if (here / d).is_symlink()]:
                p = here / f
                if p in skip:
                    continue
                try:
                    info = p.lstat()
                    if p.is_symlink():
                        digest = "link:" + os.readlink(p)
                    elif p.is_file():
                        digest = hashlib.sha256(p.read_bytes()).hexdigest()
                    else:
                        digest = f"mode:{info.st_mode:o}"
                except OSError as exc:
                    digest = f"error:{exc.errno}"
                out[str(p)] = digest
    return out


def _processes(marker: str, base: Path) -> list[str]:
    """Processes whose environment holds the batch's marker, or whose command line holds a
    token and this batch's folder (a daemon that cleared its environment; not another test
    run's leftovers on a shared machine)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            env = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if f"COURSE_GRADING_RUN={marker}".encode() in env or ("ADVERSARY-" in cmd and str(base) in cmd):
            found.append(f"{pid}: {cmd[:120]}")
    return found


class _HostServer:
    """A TCP server on the host's loopback: a sandbox must not reach it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("adversarial")
    folder, instructor, outdir, gtmp = (
        base / "submissions",
        base / "instructor",
        base / "out",
        base / "gradertmp",
    )
    slow = base / "slow-submissions"
    for d in (folder, instructor, outdir, gtmp, slow):
        d.mkdir()
    (instructor / "notes.txt").write_text("the instructor's notes\n")
    (instructor / "victim.txt").write_text("must survive\n")
    out = outdir / "grades.csv"
    out.write_text("file,total\nstale,1\n")  # an earlier run's table
    server = _HostServer()
    ctx = {
        "ROOT": str(ROOT),
        "OUT": str(out),
        "OUTDIR": str(outdir),
        "SUBMISSIONS": str(folder),
        "INSTRUCTOR": str(instructor),
        "GTMP": str(gtmp),
        "PORT": str(server.port),
        "SECRET": SECRET,
    }
    cases = _cases(ctx)
    # a values file with full marks, where the symlink attack points
    from course import data

    t = data.load("arms_transfers").set_index("year").loc[2016:2019]
    share = float(100 * t["russia_to_china_tiv_mn"].sum() / t["china_total_imports_tiv_mn"].sum())
    right = {"q1": 2005, "q2_early": 2546.1666666666665, "q2_late": 936.0, "q3": share, "q4": 6}
    right |= {"q5": {"B", "D"}, "q6": "B"}
    from course import answers

    values = {
        "format": 1,
        "questions": {
            q: {"at": "end", "values": {v: answers.encode(right[v]) for v in vs}}
            for q, vs in json.loads((AUTOGRADER_DIR / f"{EX}.json").read_text())["answers"].items()
        },
    }
    (instructor / "answers.json").write_text(json.dumps(values))
    for case in {c.file: c for c in cases.values()}.values():
        path = (slow if case.slow else folder) / case.file
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(case.content):
            case.content(path, ctx)
        elif isinstance(case.content, Path):
            shutil.copy(case.content, path)
        elif isinstance(case.content, bytes):
            path.write_bytes(case.content)
        else:
            path.write_text(json.dumps(case.content), encoding="utf-8")
    watched = [base, ROOT / "exercises", ROOT / "data", ROOT / "course", ROOT / "course_grading"]
    before = _snapshot(watched, skip={out, outdir / "slow.csv"})
    marker = "adversarial-" + os.urandom(6).hex()
    env = {
        **os.environ,
        "TMPDIR": str(gtmp),
        "COURSE_GRADING_RUN": marker,
        "INSTRUCTOR_SECRET": SECRET,
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    # the reference grades the agreement submission meanwhile (about 8 s on its own)
    ref_dir = tmp_path_factory.mktemp("otter-run")
    shutil.copy(folder / cases["agreement with otter run"].file, ref_dir / "agree.ipynb")
    reference = subprocess.Popen(
        [
            PY,
            "-m",
            "otter",
            "run",
            "-a",
            str(AUTOGRADER_DIR / f"{EX}-autograder.zip"),
            "agree.ipynb",
            "-o",
            ".",
        ],
        cwd=ref_dir,
        env={k: v for k, v in env.items() if k != "COURSE_GRADING_RUN"} | {"TMPDIR": str(ref_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    slow_out = outdir / "slow.csv"
    slow_proc = subprocess.Popen(
        [PY, "-m", "course_grading", "grade", str(slow), "--out", str(slow_out), "--timeout", SLOW_TIMEOUT]
        + ["--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "course_grading", "grade", str(folder), "--out", str(out), "--timeout", TIMEOUT]
        + ["--disk-mb", DISK_MB],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    elapsed = time.perf_counter() - start
    slow_stdout, slow_stderr = slow_proc.communicate(timeout=300)
    table = out.read_bytes() + slow_out.read_bytes()
    time.sleep(1.5)  # the daemons would act one second after their notebook ended
    leftovers = _processes(marker, base)
    after = _snapshot(watched, skip={out, outdir / "slow.csv"})
    reference.wait(timeout=300)
    server.close()
    rows = {}
    for table_path in (out, slow_out):
        with open(table_path, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                rows[r["file"]] = r
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    result = {
        "cases": cases,
        "rows": rows,
        "proc": proc,
        "elapsed": elapsed,
        "table_at_exit": table,
        "table_later": out.read_bytes() + slow_out.read_bytes(),
        "slow": (slow_proc.returncode, slow_stdout, slow_stderr),
        "leftovers": leftovers,
        "changed": changed,
        "gtmp_left": sorted(str(p) for p in gtmp.iterdir()),
        "connections": server.connections,
        "reference": json.loads((ref_dir / "results.json").read_text())
        if (ref_dir / "results.json").exists()
        else None,
        "ctx": ctx,
    }
    return result


def _label(case: Case) -> str:
    """The file column as the CSV stores it (formula-like names escaped)."""
    return "'" + case.file if case.file.startswith(("=", "+", "-", "@")) else case.file


def _assert_four(batch: dict, name: str) -> None:
    cases, rows = batch["cases"], batch["rows"]
    case = cases[name]
    assert batch["proc"].returncode == 0, batch["proc"].stdout[-2000:] + batch["proc"].stderr[-2000:]
    assert batch["slow"][0] == 0, batch["slow"]
    # 1. its row (a case tied to some questions of a shared notebook: those questions' scores)
    row = rows.get(_label(case))
    assert row is not None, f"{name}: no row for {case.file!r} (rows: {sorted(rows)[:80]})"
    for q, score in case.scores.items():
        assert row[q] == score, f"{name}: {q} = {row[q]!r}, want {score}: {row['reason']}"
    assert row["status"] == case.status, f"{name}: {row}"
    if not case.scores:
        assert row["total"] == case.total, (
            f"{name}: total {row['total']!r}, want {case.total!r}: {row['reason']}"
        )
    for fragment in case.reason:
        assert fragment in row["reason"], f"{name}: {fragment!r} not in {row['reason']!r}"
    if case.status != "skipped":
        assert row["sandbox"] == "bubblewrap", f"{name}: {row}"
    # 2. no other row changed: every row is its own case's (the total of a shared notebook
    # included), and there is one row per file
    assert set(rows) == {_label(c) for c in cases.values()}, "rows were added or lost"
    wrong = {
        n: (rows[_label(c)]["status"], rows[_label(c)]["total"])
        for n, c in cases.items()
        if (rows[_label(c)]["status"], rows[_label(c)]["total"]) != (c.status, c.total)
    }
    assert not wrong, f"{name}: other rows differ from their cases: {wrong}"
    # 3. no file outside the submission's sandbox changed (nor the table after the grader exited)
    assert not batch["changed"], f"{name}: files changed outside the sandboxes: {batch['changed'][:10]}"
    assert batch["table_later"] == batch["table_at_exit"], "the grade table changed after the grader exited"
    assert not batch["gtmp_left"], f"work folders left behind: {batch['gtmp_left']}"
    # 4. nothing is still running
    mine = [p for p in batch["leftovers"] if case.token and f"ADVERSARY-{case.token}" in p]
    assert not mine, f"{name}: still running: {mine}"
    assert not batch["leftovers"], f"processes of the batch still running: {batch['leftovers']}"


CASE_NAMES = list(
    _cases({k: "x" for k in ("ROOT", "OUT", "OUTDIR", "SUBMISSIONS", "INSTRUCTOR", "GTMP", "PORT", "SECRET")})
)
HONEST = {
    "solved, spaces and unicode in its name",
    "solved exercise 7 (sets of letters)",
    "untouched",
    "all wrong",
}


def test_the_suite_covers_enough_hostile_and_awkward_submissions(batch: dict) -> None:
    hostile = {c.file for n, c in batch["cases"].items() if n not in HONEST | {"agreement with otter run"}}
    assert len(hostile) >= 30, f"{len(hostile)} hostile or awkward files"
    assert set(CASE_NAMES) == set(batch["cases"])


@pytest.mark.parametrize("name", CASE_NAMES)
def test_submission(batch: dict, name: str) -> None:
    _assert_four(batch, name)


def test_scores_equal_otter_run(batch: dict) -> None:
    """The reference, ``otter run``, gives the same score per question on the same notebook.

    The notebook mixes right and wrong answers, a wrong type, a cell that raises after
    setting its answer, and an answer changed after its check (both grade the final
    value). The 40 synthetic submissions of the benchmark are compared the same way.
    """
    reference = batch["reference"]
    assert reference is not None, "otter run wrote no results.json"
    ref = {t["name"]: t.get("score") for t in reference["tests"] if "max_score" in t}
    row = batch["rows"]["agree.ipynb"]
    ours = {q: float(row[q]) for q in ref}
    assert ours == {q: float(v or 0) for q, v in ref.items()}, (ours, ref)
    _assert_four(batch, "agreement with otter run")


def test_values_files_that_are_pipes_deep_or_huge_are_refused(tmp_path: Path) -> None:
    """The scorer's reading of a values file (the end-to-end cases above cover a link out)."""
    from course_grading.scorer import MAX_VALUES_BYTES, ValuesError, read_values

    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 300_000 + "]" * 300_000)
    huge = tmp_path / "huge.json"
    huge.write_bytes(b'"' + b"x" * MAX_VALUES_BYTES + b'"')
    link = tmp_path / "link.json"
    link.symlink_to(deep)
    scores = tmp_path / "scores.json"
    scores.write_text('{"q1": {"score": 1}}')
    for path, why in [
        (pipe, "other than a file"),
        (deep, "not valid JSON"),
        (huge, "more than the grader reads"),
        (link, "could not be read"),
        (tmp_path / "none.json", "left no answers"),
        (scores, "does not hold answers"),
    ]:
        with pytest.raises(ValuesError, match=why):
            read_values(path)


def test_runner_limits_cpu_memory_and_file_size(tmp_path: Path) -> None:
    """The limits the runner sets before a notebook's code runs (the batch shows them end to end)."""
    code = """
import os, sys, resource
sys.path.insert(0, {runner!r})
import runner
runner._limit({{"memory_mb": 200, "cpu_seconds": 1, "file_mb": 1}})
results = []
try:
    bytearray(400 * 1024 * 1024)
except MemoryError:
    results.append("memory")
try:
    open({big!r}, "wb").write(b"x" * (2 * 1024 * 1024))
except OSError as exc:
    results.append("file:" + str(exc.errno))
print(" ".join(results), flush=True)
while True:
    pass
"""
    runner_dir = str(ROOT / "course_grading")
    proc = subprocess.run(
        [PY, "-c", code.format(runner=runner_dir, big=str(tmp_path / "big"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.split() == ["memory", "file:27"], proc.stdout + proc.stderr  # 27: EFBIG
    assert proc.returncode == -24, f"the CPU limit did not stop the loop (exit {proc.returncode})"  # SIGXCPU


def test_escape_cell_covers_every_formula_prefix() -> None:
    from course_grading.grade import escape_cell

    for text in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert escape_cell(text) == "'" + text
    for text in ("alice.ipynb", "'=already", "", "q1 = 2"):
        assert escape_cell(text) == text


def test_sandbox_reached_nothing_on_the_host_network(batch: dict) -> None:
    assert batch["connections"] == 0, "a sandbox connected to a server on the host's loopback"


def test_csv_escapes_formulas_and_keeps_odd_names(batch: dict) -> None:
    raw = batch["table_at_exit"].decode("utf-8")
    assert "\n=HYPERLINK" not in raw and '\n"=HYPERLINK' not in raw, "a formula reaches the table unescaped"
    assert "'=HYPERLINK" in raw
    assert '"alice\nbob.ipynb"' in raw, "a name with a newline must stay one quoted cell"
    assert "学生 é (final).ipynb" in raw
    stdout = batch["proc"].stdout
    assert "alice\\nbob.ipynb" in stdout, "progress lines show a newline in a name as \\n"


def test_batch_summary_lists_every_file_and_is_quick(batch: dict) -> None:
    proc, cases = batch["proc"], batch["cases"]
    n = len({c.file for c in cases.values() if not c.slow})
    assert f"[{n}/{n}]" in proc.stdout, proc.stdout[-1500:]
    assert "skipped" in proc.stdout.splitlines()[-1]
    graded = len({c.file for c in cases.values() if c.status != "skipped" and not c.slow})
    # two sandboxes at a time on a shared 2-core machine
    assert batch["elapsed"] / graded < 3, f"{batch['elapsed']:.0f} s for {graded} submissions"


# =========================================================================== without bubblewrap
def _grade(
    folder: Path, out: Path, *extra: str, env: dict | None = None
) -> tuple[subprocess.CompletedProcess, dict]:
    proc = subprocess.run(
        [PY, "-m", "course_grading", "grade", str(folder), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        env=env or {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
        timeout=300,
    )
    rows = {}
    if out.exists():
        with open(out, newline="", encoding="utf-8") as fh:
            rows = {r["file"]: r for r in csv.DictReader(fh)}
    return proc, rows


def test_without_bubblewrap_grade_refuses_and_no_sandbox_marks_every_row(tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "solved.ipynb").write_text(json.dumps(nb_with()))
    out = tmp_path / "grades.csv"
    out.write_text("old table\n")
    nobwrap = tmp_path / "bin"
    nobwrap.mkdir()
    env = {**os.environ, "PATH": str(nobwrap)}  # a machine without bwrap
    proc, _ = _grade(folder, out, env=env)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    for hint in (
        "bubblewrap",
        "apt-get install bubblewrap",
        "JupyterHub",
        "otter grade",
        "Gradescope",
        "--no-sandbox",
    ):
        assert hint in proc.stderr, f"the refusal does not mention {hint!r}:\n{proc.stderr}"
    assert out.read_text() == "old table\n", "a refused run must not touch the table"
    proc, rows = _grade(folder, out, "--no-sandbox", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    row = rows["solved.ipynb"]
    assert row["status"] == "ok" and row["total"] == "7" and row["sandbox"] == "none"
    assert row["reason"].startswith("NOT SANDBOXED"), row["reason"]
    assert "NOT SANDBOXED" in proc.stderr


def test_otter_engine_needs_no_sandbox_and_bad_folders_are_explained(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc, _ = _grade(empty, tmp_path / "g.csv", "--engine", "otter")
    assert proc.returncode == 2 and "--no-sandbox" in proc.stderr
    proc, rows = _grade(empty, tmp_path / "g.csv")
    assert proc.returncode == 1 and "no submissions found" in proc.stderr
    assert rows == {} and (tmp_path / "g.csv").read_text().startswith("file,exercise")
    proc, _ = _grade(tmp_path / "nope", tmp_path / "g2.csv")
    assert proc.returncode == 2 and "is not a folder" in proc.stderr


def test_an_interrupted_batch_leaves_the_old_table_whole(tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    for i in range(3):
        (folder / f"loop{i}.ipynb").write_text(json.dumps(nb_with({"q1": "while True:\n    pass"})))
    out = tmp_path / "grades.csv"
    out.write_text("the old table\n")
    proc = subprocess.Popen(
        [PY, "-m", "course_grading", "grade", str(folder), "--out", str(out), "--timeout", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    proc.terminate()
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout + stderr
    assert "was not written (the file there is from an earlier run)" in stderr
    assert out.read_text() == "the old table\n"
    assert not list(tmp_path.glob(".grades.csv.*")), "a temporary table was left behind"


def test_the_sandbox_works_when_the_course_lives_under_tmp(tmp_path: Path, monkeypatch) -> None:
    """A clone in /tmp (as CI makes): its folders must still be visible in the sandbox,
    whose own /tmp is the submission's scratch folder (bwrap mounts in order)."""
    from course_grading import sandbox

    if not sandbox.bwrap_path():
        pytest.fail("bubblewrap is not installed (apt-get install bubblewrap; .ci/run installs it)")
    course_in_tmp = Path(tempfile.mkdtemp(prefix="course-clone-", dir="/tmp"))
    try:
        (course_in_tmp / "course").mkdir()
        (course_in_tmp / "course" / "marker.txt").write_text("visible")
        real = sandbox._readonly_paths
        monkeypatch.setattr(sandbox, "_readonly_paths", lambda: [*real(), course_in_tmp / "course"])
        from course_grading.grade import scratch_folders

        layout = sandbox.Layout(*scratch_folders(tmp_path, sandboxed=True), tmp_path / "job.json")
        layout.job.write_text("{}")
        cmd = sandbox.command(layout)
        probe = cmd[: cmd.index(sys.executable)] + [
            sys.executable,
            "-I",
            "-c",
            f"print(open({str(course_in_tmp / 'course' / 'marker.txt')!r}).read())",
        ]
        proc = subprocess.run(probe, capture_output=True, text=True, timeout=60, env=sandbox.environment())
        assert proc.returncode == 0 and proc.stdout.strip() == "visible", proc.stderr[-500:]
    finally:
        shutil.rmtree(course_in_tmp)

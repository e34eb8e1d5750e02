# ruff: noqa: F821
# Leave code for the next submission wherever Python or IPython might pick it up:
# sitecustomize / usercustomize / .pth files on every path, IPython startup files and
# configs, and marker files in every writable directory.
import contextlib
import os

POISON = (
    "import builtins, os\n"
    f"builtins.AGSEC_PWNED = {TOKEN!r}\n"
    f"os.environ['AGSEC_PWNED'] = {TOKEN!r}\n"
)
files = {name: POISON for name in POISON_NAMES}
files[TOKEN + ".pth"] = f"import builtins; builtins.AGSEC_PWNED = {TOKEN!r}\n"
files[TOKEN + "-x"] = TOKEN
written = []
for folder in dict.fromkeys(candidate_dirs() + writable_dirs()):
    with contextlib.suppress(OSError):
        os.makedirs(folder, exist_ok=True)
    for name, text in files.items():
        try:
            with open(os.path.join(folder, name), "w") as f:
                f.write(text)
            written.append(folder)
        except OSError:
            pass
sees, checked = find_poison(TOKEN)
report(written=len(written), where=sorted(set(written))[:15], sees=sees[:10], checked=checked)

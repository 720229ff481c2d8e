"""Runs a notebook on the Deno kernel without losing outputs: an nbconvert preprocessor.

Why: Deno's kernel (2.x) evaluates a cell on one thread and publishes its outputs (displays, console.log) from
another, through a queue drained in order. It sends the cell's `idle` status without waiting for that queue, so an
output can reach the client after `idle`, and nbclient (nbconvert --execute, papermill) stops listening at `idle`:
the chart is lost, more often the busier the machine.

How: after each code cell, this client asks the kernel to print a marker. The marker goes through the same ordered
queue as the cell's outputs, so when it arrives every output the cell produced has arrived before it. Outputs that
come after `idle` are added to the cell they belong to. Nothing here waits on a clock; the only time limit is the
cell timeout, and reaching it is an error, not a silent loss.

Use (from the repository root):
    PYTHONPATH=scripts jupyter nbconvert --to notebook \
        --NotebookExporter.preprocessors=ordered_execute.OrderedExecutePreprocessor \
        --OrderedExecutePreprocessor.kernel_name=deno notebooks/explore-run.ipynb --output-dir /tmp/nb
"""
import time

from nbclient.util import ensure_async, run_sync
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Bool

MARKER = "__welfare_sim_outputs_flushed__"


class KernelOutputsLost(RuntimeError):
    """The kernel did not deliver a cell's outputs before the cell timeout."""


class OrderedExecutePreprocessor(ExecutePreprocessor):
    """ExecutePreprocessor that collects every output of a cell, including those published after `idle`."""

    enabled = Bool(True).tag(config=True)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if cell.cell_type == "code" and cell.source.strip():
            await self._collect_late_outputs(cell, cell_index)
        return cell

    execute_cell = run_sync(async_execute_cell)

    async def _collect_late_outputs(self, cell, cell_index):
        assert self.kc is not None
        marker_id = self.kc.execute(f"console.log({MARKER!r})", silent=True, store_history=False, allow_stdin=False)
        limit = self.timeout if self.timeout is not None and self.timeout > 0 else 600
        deadline = time.monotonic() + limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KernelOutputsLost(
                    f"cell {cell_index}: the kernel did not deliver its outputs within {limit} s (no flush marker)"
                )
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=remaining))
            except Exception as error:  # queue.Empty: the deadline passed
                raise KernelOutputsLost(
                    f"cell {cell_index}: the kernel did not deliver its outputs within {limit} s (no flush marker)"
                ) from error
            kind = msg["msg_type"]
            if kind in ("status", "execute_input"):
                continue
            if kind == "stream" and MARKER in msg["content"].get("text", ""):
                rest = "".join(line for line in msg["content"]["text"].splitlines(True) if MARKER not in line)
                if rest:
                    msg["content"]["text"] = rest
                    self.process_message(msg, cell, cell_index)
                break
            # Every earlier cell was flushed the same way, so anything before the marker is this cell's.
            self.process_message(msg, cell, cell_index)
        await self._consume_reply(marker_id, deadline)

    async def _consume_reply(self, msg_id, deadline):
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=remaining))
            except Exception:
                return
            if msg["parent_header"].get("msg_id") == msg_id:
                return

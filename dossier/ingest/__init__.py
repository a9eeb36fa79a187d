"""Reading inputs: files, folders, stdin -> RawDocument, with a clear reason for each failure."""

from dossier.ingest.readers import (
    InputError,
    ReadResult,
    expand_paths,
    iter_inputs,
    read_bytes,
    read_path,
)

__all__ = ["InputError", "ReadResult", "expand_paths", "iter_inputs", "read_bytes", "read_path"]

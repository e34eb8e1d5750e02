"""The data-only wire format between the trusted grader and the sandboxed worker.

A frame is `u32 length | u32 header length | header | buffers`: the header is strict JSON
(no raw floats, NaN or duplicate keys) holding the message and the byte lengths of the
raw buffers that follow. Values inside a message are tagged JSON nodes:

    null, true/false, int, str             as themselves
    {"$": "float", "v": float.hex()}       exact, nan/inf included; also "complex"
    {"$": "list"|"tuple"|"set"|"frozenset", "v": [...]}
    {"$": "dict", "k": [...], "v": [...]}  keys are str or int only
    {"$": "bytes", "b": i}                 buffer i
    {"$": "ndarray"|"npscalar", "dtype", "shape", "b"}    whitelisted dtypes, little-endian
    {"$": "tensor", "dtype", "shape", "b", "rg", "grad"}  torch, plus requires_grad and grad
    {"$": "slice", "v": [start, stop, step]}, {"$": "ellipsis"}
    {"$": "handle", "id": n, "type": name} an object that stays in the worker

Requests are `{"seq", "op", ...}` messages, op one of get, getattr, setattr, call,
getitem, setitem, len, iter, next, count_runs (a handle on a `tracing.RunCounter` of
the model named). A call with `"sync": true` (every call but
proxy.isolated_call) is answered with the tuple `(result, changed_args, changed_kwargs)`:
the data arguments whose encoding the call changed, as `(position, value)` and `(name,
value)` pairs, so the caller's arguments end as a plain Python call would leave them; with
`"vjp": true` the value is `(args, kwargs, cotangent)` and the worker backpropagates the
cotangent from the result (`backward_from`: a tuple of cotangents, one per element of a
tuple result) before comparing (the arguments' .grad show where the graph reaches);
with `"trace": [positions]` the call starts from gradients enabled and the tuple gains a
fourth item, `(grad_enabled, rng_kept, ((position, flags, kept), ...))`: the gradient mode
the call left, whether torch's global generator is where the call found it, the train/eval
flags the layers of each of those module arguments ran in, and whether the call left that
module's parameters and buffers as it found them (`tracing.py`).

No pickle, marshal or eval in either direction. The decoder rebuilds exact built-in,
numpy and torch base types, so a subclass in the worker cannot reach the trusted side,
and it rejects anything malformed with ProtocolError (caps on size, depth and counts).
"""

from __future__ import annotations

import ctypes
import json
import math
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_FRAME_BYTES = 256 * 2**20  # one message with all its buffers
MAX_HEADER_BYTES = 16 * 2**20
MAX_DEPTH = 32  # nesting of containers in one value
MAX_NODES = 200_000  # values in one message
MAX_BUFFERS = 10_000
MAX_NDIM = 16
MAX_NAME_CHARS = 200  # type names in handles

_PREFIX = struct.Struct(">II")

_INTS = ("int8", "int16", "int32", "int64", "uint8")
_FLOATS = ("float16", "float32", "float64", "complex64", "complex128")
NUMPY_DTYPES = frozenset(("bool", *_INTS, "uint16", "uint32", "uint64", *_FLOATS))
TORCH_DTYPES = frozenset(("bool", *_INTS, "bfloat16", *_FLOATS))


class ProtocolError(Exception):
    """A frame or value broke the protocol: the worker is not to be believed any further."""


class TooLarge(ValueError):
    """A value exceeds the caps; the worker sends a handle to it instead."""


@dataclass(frozen=True)
class Handle:
    """A reference to an object that lives in the worker."""

    id: int
    type_name: str = "object"


# ---------------------------------------------------------------- framing


def frame_chunks(message: dict[str, Any], buffers: list[bytes]) -> list[bytes]:
    """The byte chunks of one frame (written in order, without joining big buffers)."""
    header = json.dumps(
        # ASCII escapes carry any str, lone surrogates too (they have no UTF-8 form)
        {"m": message, "b": [len(b) for b in buffers]},
        ensure_ascii=True,
        allow_nan=False,
    ).encode()
    total = 4 + len(header) + sum(len(b) for b in buffers)
    if total > MAX_FRAME_BYTES or len(header) > MAX_HEADER_BYTES or len(buffers) > MAX_BUFFERS:
        raise TooLarge(f"frame of {total} bytes exceeds the protocol caps")
    return [_PREFIX.pack(total, len(header)), header, *buffers]


def read_frame(read_exact: Callable[[int], bytes]) -> tuple[dict[str, Any], list[memoryview]]:
    """Read one frame with `read_exact(n)`; returns (message, buffers) or raises ProtocolError."""
    total, header_len = _PREFIX.unpack(read_exact(_PREFIX.size))
    if total > MAX_FRAME_BYTES or header_len > MAX_HEADER_BYTES or header_len > total - 4:
        raise ProtocolError(f"frame size out of bounds ({total} bytes, header {header_len})")
    body = read_exact(total - 4)
    header = _parse_json(body[:header_len])
    view = memoryview(body)
    if not isinstance(header, dict) or set(header) != {"m", "b"}:
        raise ProtocolError("frame header must be an object with 'm' and 'b'")
    message, lengths = header["m"], header["b"]
    if not isinstance(message, dict) or not isinstance(lengths, list):
        raise ProtocolError("frame header has the wrong shape")
    if len(lengths) > MAX_BUFFERS or not all(type(n) is int and n >= 0 for n in lengths):
        raise ProtocolError("bad buffer lengths")
    if header_len + sum(lengths) != total - 4:
        raise ProtocolError("buffer lengths do not add up to the frame size")
    buffers, pos = [], header_len
    for n in lengths:
        buffers.append(view[pos : pos + n])
        pos += n
    return message, buffers


def _reject_constant(name: str) -> None:
    raise ProtocolError(f"JSON constant {name} is not allowed")


def _reject_float(text: str) -> None:
    raise ProtocolError("raw JSON floats are not allowed (floats are tagged)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ProtocolError("duplicate key in a JSON object")
    return result


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(
            raw.decode("utf-8"),
            parse_constant=_reject_constant,
            parse_float=_reject_float,
            object_pairs_hook=_no_duplicates,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProtocolError(f"frame header is not valid JSON: {str(exc)[:100]}") from None


# ---------------------------------------------------------------- encoding


class Encoder:
    """Turns a value into tagged JSON plus buffers. `handle_for(obj)` is asked about anything
    that is not data: the worker registers the object, the grader accepts only proxies."""

    def __init__(self, handle_for: Callable[[Any], Handle]):
        self.handle_for = handle_for
        self.buffers: list[bytes] = []
        self.size = 0
        self.nodes = 0

    def encode(self, value: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES or self.size > MAX_FRAME_BYTES:
            raise TooLarge("value too deep or too large to transfer")
        if value is None or type(value) is bool:
            return value
        numpy, torch = sys.modules.get("numpy"), sys.modules.get("torch")
        if numpy is not None and isinstance(value, numpy.generic | numpy.ndarray):
            return self._array(value, numpy)
        if torch is not None and isinstance(value, torch.Tensor):
            return self._tensor(value, torch, depth)
        return self._builtin(value, depth)

    def _builtin(self, value: Any, depth: int) -> Any:
        # Base-class methods, not the value's own: a subclass cannot change what is sent.
        if isinstance(value, int):
            return int.__int__(value)
        if isinstance(value, float):
            return {"$": "float", "v": float.hex(value)}
        if isinstance(value, complex):
            c = complex.__complex__(value)
            return {"$": "complex", "v": [c.real.hex(), c.imag.hex()]}
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, bytes | bytearray):
            return {"$": "bytes", "b": self._buffer(bytes(memoryview(value)))}
        for base, tag in ((tuple, "tuple"), (list, "list"), (set, "set"), (frozenset, "frozenset")):
            if isinstance(value, base):
                items = list(base.__iter__(value))
                return {"$": tag, "v": [self.encode(v, depth + 1) for v in items]}
        if isinstance(value, dict):
            keys = list(dict.keys(value))
            if all(type(k) is str or type(k) is int for k in keys):
                values = [dict.__getitem__(value, k) for k in keys]
                return {"$": "dict", "k": keys, "v": [self.encode(v, depth + 1) for v in values]}
        if type(value) is slice:
            parts = (value.start, value.stop, value.step)
            return {"$": "slice", "v": [self.encode(p, depth + 1) for p in parts]}
        if value is Ellipsis:
            return {"$": "ellipsis"}
        return self._handle(value)

    def _handle(self, value: Any) -> dict[str, Any]:
        handle = self.handle_for(value)
        return {"$": "handle", "id": handle.id, "type": handle.type_name[:MAX_NAME_CHARS]}

    def _buffer(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > MAX_FRAME_BYTES or len(self.buffers) >= MAX_BUFFERS:
            raise TooLarge("value too large to transfer")
        self.buffers.append(data)
        return len(self.buffers) - 1

    def _array(self, value: Any, numpy: Any) -> Any:
        array = numpy.asarray(value) if isinstance(value, numpy.generic) else value
        name = array.dtype.name
        if name not in NUMPY_DTYPES or array.ndim > MAX_NDIM:
            return self._handle(value)
        little = numpy.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
        node = {"dtype": name, "shape": list(array.shape), "b": self._buffer(little.tobytes())}
        return {"$": "npscalar" if isinstance(value, numpy.generic) else "ndarray", **node}

    def _tensor(self, value: Any, torch: Any, depth: int) -> Any:
        name = str(value.dtype).removeprefix("torch.")
        if name not in TORCH_DTYPES or value.layout != torch.strided or value.dim() > MAX_NDIM:
            return self._handle(value)
        with torch._C.DisableTorchFunctionSubclass():
            plain = value.detach().cpu().resolve_conj().resolve_neg().contiguous()
            octets = plain.reshape(-1).view(torch.uint8)
            # read through the pointer: .numpy() would leave the storage unresizable
            raw = ctypes.string_at(octets.data_ptr(), octets.numel()) if octets.numel() else b""
            grad = value.grad if value.is_leaf else None  # .grad of a non-leaf only warns
        return {
            "$": "tensor",
            "dtype": name,
            "shape": list(plain.shape),
            "b": self._buffer(raw),
            "rg": bool(value.requires_grad),
            "grad": None if grad is None else self._tensor(grad, torch, depth + 1),
        }


def encode_value(value: Any, handle_for: Callable[[Any], Handle]) -> tuple[Any, list[bytes]]:
    """Encode one value; returns (tagged JSON, buffers)."""
    encoder = Encoder(handle_for)
    return encoder.encode(value), encoder.buffers


# ---------------------------------------------------------------- decoding


class Decoder:
    """Rebuilds values from tagged JSON and buffers, strictly. `resolve(handle)` turns a
    handle into an object: the worker looks it up, the grader makes a proxy."""

    def __init__(self, buffers: list[bytes], resolve: Callable[[Handle], Any]):
        self.buffers = buffers
        self.resolve = resolve
        self.used: set[int] = set()
        self.nodes = 0

    def decode(self, node: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise ProtocolError("value nested too deep or too many values")
        if node is None or type(node) in (bool, int, str):
            return node
        if type(node) is not dict or type(node.get("$")) is not str:
            raise ProtocolError(f"untagged value of type {type(node).__name__}")
        method = getattr(self, "_tag_" + node["$"], None)
        if method is None:
            raise ProtocolError(f"unknown value tag {node['$'][:40]!r}")
        return method(node, depth)

    def _fields(self, node: dict[str, Any], *names: str) -> list[Any]:
        if set(node) != {"$", *names}:
            raise ProtocolError(f"{node['$']} value has fields {sorted(node)[:10]}")
        return [node[n] for n in names]

    def _items(self, node: dict[str, Any], depth: int) -> list[Any]:
        (items,) = self._fields(node, "v")
        if type(items) is not list:
            raise ProtocolError(f"{node['$']} items must be a list")
        return [self.decode(v, depth + 1) for v in items]

    def _tag_list(self, node: dict[str, Any], depth: int) -> list[Any]:
        return self._items(node, depth)

    def _tag_tuple(self, node: dict[str, Any], depth: int) -> tuple[Any, ...]:
        return tuple(self._items(node, depth))

    def _tag_set(self, node: dict[str, Any], depth: int) -> set[Any]:
        return set(self._hashable(self._items(node, depth)))

    def _tag_frozenset(self, node: dict[str, Any], depth: int) -> frozenset[Any]:
        return frozenset(self._hashable(self._items(node, depth)))

    def _hashable(self, items: list[Any]) -> list[Any]:
        for item in items:
            if not _is_plain_hashable(item):
                raise ProtocolError("set element is not a plain hashable value")
        return items

    def _tag_dict(self, node: dict[str, Any], depth: int) -> dict[Any, Any]:
        keys, values = self._fields(node, "k", "v")
        if type(keys) is not list or type(values) is not list or len(keys) != len(values):
            raise ProtocolError("dict value needs equal lists of keys and values")
        if not all(type(k) in (str, int) for k in keys) or len(set(keys)) != len(keys):
            raise ProtocolError("dict keys must be distinct str or int")
        self.nodes += len(keys)
        return {k: self.decode(v, depth + 1) for k, v in zip(keys, values, strict=True)}

    def _tag_float(self, node: dict[str, Any], depth: int) -> float:
        (text,) = self._fields(node, "v")
        return _float_from_hex(text)

    def _tag_complex(self, node: dict[str, Any], depth: int) -> complex:
        (parts,) = self._fields(node, "v")
        if type(parts) is not list or len(parts) != 2:
            raise ProtocolError("complex value needs [real, imag]")
        return complex(_float_from_hex(parts[0]), _float_from_hex(parts[1]))

    def _tag_bytes(self, node: dict[str, Any], depth: int) -> bytes:
        (index,) = self._fields(node, "b")
        return bytes(self._buffer(index))

    def _tag_slice(self, node: dict[str, Any], depth: int) -> slice:
        parts = self._items(node, depth)
        if len(parts) != 3 or not all(p is None or type(p) is int for p in parts):
            raise ProtocolError("slice value needs three ints or nulls")
        return slice(*parts)

    def _tag_ellipsis(self, node: dict[str, Any], depth: int) -> Any:
        self._fields(node)
        return Ellipsis

    def _tag_handle(self, node: dict[str, Any], depth: int) -> Any:
        ident, type_name = self._fields(node, "id", "type")
        if type(ident) is not int or ident < 0 or type(type_name) is not str:
            raise ProtocolError("bad handle")
        return self.resolve(Handle(ident, type_name[:MAX_NAME_CHARS]))

    def _buffer(self, index: Any) -> bytes:
        if type(index) is not int or not 0 <= index < len(self.buffers) or index in self.used:
            raise ProtocolError("bad or reused buffer index")
        self.used.add(index)
        return self.buffers[index]

    def _shape(self, shape: Any) -> tuple[int, ...]:
        if type(shape) is not list or len(shape) > MAX_NDIM:
            raise ProtocolError("bad array shape")
        if not all(type(n) is int and 0 <= n <= MAX_FRAME_BYTES for n in shape):
            raise ProtocolError("bad array dimension")
        return tuple(shape)

    def _tag_ndarray(self, node: dict[str, Any], depth: int) -> Any:
        dtype, shape, index = self._fields(node, "dtype", "shape", "b")
        return self._numpy_array(dtype, self._shape(shape), index)

    def _tag_npscalar(self, node: dict[str, Any], depth: int) -> Any:
        dtype, shape, index = self._fields(node, "dtype", "shape", "b")
        if shape != []:
            raise ProtocolError("numpy scalar with a shape")
        return self._numpy_array(dtype, (), index)[()]

    def _numpy_array(self, dtype: Any, shape: tuple[int, ...], index: Any) -> Any:
        import numpy

        if dtype not in NUMPY_DTYPES:
            raise ProtocolError(f"numpy dtype {str(dtype)[:40]!r} is not allowed")
        wire = numpy.dtype(dtype).newbyteorder("<")
        data = self._buffer(index)
        if len(data) != math.prod(shape) * wire.itemsize:
            raise ProtocolError("array bytes do not match its shape and dtype")
        if dtype == "bool":  # any byte other than 0/1 would make a broken numpy bool
            return numpy.frombuffer(data, dtype=numpy.uint8).reshape(shape) != 0
        return numpy.frombuffer(data, dtype=wire).reshape(shape).astype(wire.newbyteorder("="))

    def _tag_tensor(self, node: dict[str, Any], depth: int) -> Any:
        import torch

        dtype, shape, index, rg, grad = self._fields(node, "dtype", "shape", "b", "rg", "grad")
        if dtype not in TORCH_DTYPES or type(rg) is not bool:
            raise ProtocolError(f"tensor dtype {str(dtype)[:40]!r} is not allowed")
        shape = self._shape(shape)
        torch_dtype = getattr(torch, dtype)
        data = self._buffer(index)
        if len(data) != math.prod(shape) * torch_dtype.itemsize:
            raise ProtocolError("tensor bytes do not match its shape and dtype")
        if not data:
            tensor = torch.empty(shape, dtype=torch_dtype)
        elif dtype == "bool":
            tensor = torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape(shape) != 0
        else:
            tensor = torch.frombuffer(bytearray(data), dtype=torch_dtype).reshape(shape).clone()
        if rg:
            if not (tensor.is_floating_point() or tensor.is_complex()):
                raise ProtocolError("requires_grad on a tensor that cannot have gradients")
            tensor.requires_grad_(True)
        if grad is not None:
            tensor.grad = self._grad_for(tensor, grad, depth)
        return tensor

    def _grad_for(self, tensor: Any, node: Any, depth: int) -> Any:
        if type(node) is not dict or node.get("$") != "tensor":
            raise ProtocolError("a tensor's grad must be a tensor")
        grad = self._tag_tensor(node, depth + 1)
        if grad.shape != tensor.shape or grad.dtype != tensor.dtype or grad.requires_grad:
            raise ProtocolError("a tensor's grad does not match the tensor")
        return grad


def _float_from_hex(text: Any) -> float:
    if type(text) is not str or len(text) > 40:
        raise ProtocolError("bad float")
    try:
        return float.fromhex(text)
    except ValueError:
        raise ProtocolError("bad float") from None


def _is_plain_hashable(item: Any) -> bool:
    if item is None or type(item) in (bool, int, float, complex, str, bytes):
        return True
    return type(item) in (tuple, frozenset) and all(_is_plain_hashable(i) for i in item)


def decode_value(node: Any, buffers: list[bytes], resolve: Callable[[Handle], Any]) -> Any:
    """Decode one value that came with `buffers`; raises ProtocolError on anything malformed."""
    return Decoder(buffers, resolve).decode(node)


def backward_from(result: Any, cotangent: Any) -> None:
    """Backpropagate `cotangent` from a call's result where its graph lives (a `"vjp"` call):
    a tensor cotangent from the tensor result, or the first element of a tuple result; a
    tuple of cotangents from the elements of a tuple result, one each (None: that element
    takes no part). Elements without a graph take no part either."""
    import torch

    if isinstance(cotangent, tuple | list):
        elements = list(result) if isinstance(result, tuple | list) else [result]
        pairs = [(o, c) for o, c in zip(elements, cotangent, strict=False) if c is not None]
    else:
        first = result[0] if isinstance(result, tuple | list) and result else result
        pairs = [(first, cotangent)]
    pairs = [(o, c) for o, c in pairs if isinstance(o, torch.Tensor) and o.requires_grad]
    if pairs:
        torch.autograd.backward([o for o, _ in pairs], [c for _, c in pairs])

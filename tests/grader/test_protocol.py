"""The wire format on its own: round trips, exact base types, and refusal of forged frames."""

from __future__ import annotations

import io
import json
import math
import struct
from collections import OrderedDict, namedtuple

import numpy as np
import pytest
import torch

from autograder.grading import protocol
from autograder.grading.protocol import Handle, ProtocolError, decode_value, encode_value


def refuse_objects(obj):
    raise TypeError(f"not data: {type(obj).__name__}")


def through_the_wire(value, handle_for=refuse_objects, resolve=None):
    """Encode, frame, read the frame back and decode, as the two sides do."""
    node, buffers = encode_value(value, handle_for)
    stream = io.BytesIO(b"".join(protocol.frame_chunks({"v": node}, buffers)))
    message, got = protocol.read_frame(stream.read)
    return decode_value(message["v"], got, resolve or (lambda h: ("handle", h.id)))


def frame_bytes(header: bytes, *buffers: bytes) -> bytes:
    body = header + b"".join(buffers)
    return struct.pack(">II", len(body) + 4, len(header)) + body


def read(raw: bytes):
    message, buffers = protocol.read_frame(io.BytesIO(raw).read)
    return decode_value(message.get("v"), buffers, lambda h: h)


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -(2**100),
        1.5,
        -0.0,
        math.inf,
        -math.inf,
        1e-310,
        3 + 4j,
        "",
        "привет",
        b"\x00\xff",
        [1, [2, [3]]],
        (1, "a", None),
        {"a": 1, 2: [3.5]},
        "lone surrogate \udcff",
        {1, "x", (2, 3)},
        frozenset({1.5}),
        slice(1, None, 2),
        Ellipsis,
    ],
)
def test_builtin_values_round_trip_exactly(value):
    back = through_the_wire(value)
    assert type(back) is type(value)
    assert back == value or (back is Ellipsis and value is Ellipsis)


def test_nan_round_trips():
    assert math.isnan(through_the_wire(float("nan")))


@pytest.mark.parametrize(
    "dtype", ["bool", "int8", "uint8", "int16", "int32", "int64", "uint64", "float16", "float32"]
)
def test_numpy_arrays_and_scalars_round_trip(dtype):
    array = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    back = through_the_wire(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == (3, 4)
    assert np.array_equal(back, array)
    scalar = through_the_wire(array[1, 2])
    assert type(scalar) is type(array[1, 2]) and scalar == array[1, 2]


def test_numpy_big_endian_and_non_contiguous_arrays_arrive_native():
    array = np.arange(10, dtype=">f8")[::2]
    back = through_the_wire(array)
    assert back.dtype == np.float64 and back.dtype.isnative
    assert np.array_equal(back, array)


def test_numpy_object_arrays_are_not_data():
    with pytest.raises(TypeError, match="not data"):
        through_the_wire(np.array([object()], dtype=object))


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.int64, torch.bool])
def test_tensors_round_trip_as_base_tensors(dtype):
    tensor = torch.arange(6).reshape(2, 3).to(dtype).t()  # non-contiguous on purpose
    back = through_the_wire(tensor)
    assert type(back) is torch.Tensor and back.dtype == dtype and back.shape == (3, 2)
    assert torch.equal(back, tensor)


def test_tensor_requires_grad_and_grad_travel_with_it():
    weight = torch.nn.Parameter(torch.ones(2, 2))
    (weight * 3).sum().backward()
    back = through_the_wire(weight)
    assert type(back) is torch.Tensor and back.requires_grad and back.is_leaf
    assert torch.equal(back.grad, torch.full((2, 2), 3.0))


def test_empty_and_complex_tensors_round_trip():
    assert through_the_wire(torch.empty(0, 3)).shape == (0, 3)
    z = torch.tensor([1 + 2j, 3 - 1j])
    assert torch.equal(through_the_wire(z), z)
    assert torch.equal(through_the_wire(z.conj()), z.conj())


def test_containers_of_special_types_arrive_as_plain_types():
    Point = namedtuple("Point", "x y")
    value = OrderedDict(size=torch.Size([2, 3]), point=Point(1, 2))
    back = through_the_wire(value)
    assert type(back) is dict and type(back["size"]) is tuple and type(back["point"]) is tuple
    assert back == {"size": (2, 3), "point": (1, 2)}


def test_subclasses_are_rebuilt_as_their_base_type():
    class Sneaky(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    class SneakyTensor(torch.Tensor):
        def __eq__(self, other):
            return True

    back = through_the_wire([Sneaky(1.0), torch.zeros(2).as_subclass(SneakyTensor)])
    assert type(back[0]) is float and back[0] != 2.0
    assert type(back[1]) is torch.Tensor and not torch.equal(back[1], torch.ones(2))


def test_objects_that_are_not_data_become_handles():
    registry = []

    def handle_for(obj):
        registry.append(obj)
        return Handle(len(registry), type(obj).__name__)

    back = through_the_wire({"f": len, "m": torch.nn.Linear(1, 1)}, handle_for)
    assert back == {"f": ("handle", 1), "m": ("handle", 2)}


def test_dict_with_non_string_keys_is_a_handle():
    back = through_the_wire({(1, 2): 3}, lambda o: Handle(7))
    assert back == ("handle", 7)


@pytest.mark.parametrize(
    "header",
    [
        b"not json",
        b"[1, 2]",
        b'{"m": {}, "b": [], "x": 1}',
        b'{"m": {"v": 1.5}, "b": []}',  # raw float
        b'{"m": {"v": NaN}, "b": []}',
        b'{"m": {"v": 1, "v": 2}, "b": []}',  # duplicate key
        b'{"m": {"v": [1, 2]}, "b": []}',  # untagged list
        b'{"m": {"v": {"a": 1}}, "b": []}',  # untagged dict
        b'{"m": {"v": {"$": "pickle", "v": "x"}}, "b": []}',
        b'{"m": {"v": {"$": "float", "v": "0x1p0", "extra": 1}}, "b": []}',
        b'{"m": {"v": {"$": "float", "v": "nope"}}, "b": []}',
        b'{"m": {"v": {"$": "bytes", "b": 0}}, "b": []}',  # missing buffer
        b'{"m": {"v": {"$": "handle", "id": -1, "type": "x"}}, "b": []}',
        b'{"m": {"v": {"$": "dict", "k": ["a", "a"], "v": [1, 2]}}, "b": []}',
        b'{"m": {"v": {"$": "set", "v": [{"$": "list", "v": []}]}}, "b": []}',
        b'{"m": {"v": {"$": "slice", "v": ["a", null, null]}}, "b": []}',
        b'{"m": {"v": "\xff"}, "b": []}',
    ],
)
def test_malformed_headers_are_rejected(header):
    with pytest.raises(ProtocolError):
        read(frame_bytes(header))


def array_frame(tag: str, dtype: str, shape: list, data: bytes, **extra) -> bytes:
    node = {"$": tag, "dtype": dtype, "shape": shape, "b": 0, **extra}
    return frame_bytes(json.dumps({"m": {"v": node}, "b": [len(data)]}).encode(), data)


@pytest.mark.parametrize(
    "raw",
    [
        array_frame("ndarray", "object", [1], b"\0" * 8),
        array_frame("ndarray", "float64", [2], b"\0" * 8),  # too few bytes for the shape
        array_frame("ndarray", "float64", [-1], b""),
        array_frame("ndarray", "float64", [1] * 40, b"\0" * 8),
        array_frame("npscalar", "float64", [1], b"\0" * 8),
        array_frame("tensor", "float32", [2], b"\0" * 4, rg=False, grad=None),
        array_frame("tensor", "int64", [1], b"\0" * 8, rg=True, grad=None),
        array_frame("tensor", "qint8", [1], b"\0", rg=False, grad=None),
        array_frame("tensor", "float32", [1], b"\0" * 4, rg=False, grad={"$": "float", "v": "1"}),
    ],
)
def test_forged_arrays_and_tensors_are_rejected(raw):
    with pytest.raises(ProtocolError):
        read(raw)


def test_a_buffer_cannot_be_used_twice():
    node = {"$": "list", "v": [{"$": "bytes", "b": 0}, {"$": "bytes", "b": 0}]}
    with pytest.raises(ProtocolError, match="reused"):
        read(frame_bytes(json.dumps({"m": {"v": node}, "b": [1]}).encode(), b"x"))


def test_buffer_lengths_must_add_up():
    header = json.dumps({"m": {"v": None}, "b": [5]}).encode()
    with pytest.raises(ProtocolError, match="add up"):
        read(frame_bytes(header, b"abc"))


def test_forged_bool_bytes_become_clean_bools():
    back = read(array_frame("ndarray", "bool", [3], b"\x00\x02\xff"))
    assert back.tolist() == [False, True, True]
    tensor = read(array_frame("tensor", "bool", [2], b"\x07\x00", rg=False, grad=None))
    assert tensor.tolist() == [True, False]


def test_oversized_frames_are_refused_before_reading_the_body():
    calls = []

    def read_exact(n):
        calls.append(n)
        return struct.pack(">II", protocol.MAX_FRAME_BYTES + 1, 10)

    with pytest.raises(ProtocolError, match="out of bounds"):
        protocol.read_frame(read_exact)
    assert calls == [8]


def test_nesting_depth_is_capped_both_ways():
    deep = None
    for _ in range(protocol.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(protocol.TooLarge):
        encode_value(deep, refuse_objects)
    node = None
    for _ in range(protocol.MAX_DEPTH + 5):
        node = {"$": "list", "v": [node]}
    with pytest.raises(ProtocolError, match="deep"):
        read(frame_bytes(json.dumps({"m": {"v": node}, "b": []}).encode()))


def test_json_nesting_beyond_the_parser_is_a_protocol_error():
    header = b'{"m": {"v": ' + b"[" * 100_000 + b"]" * 100_000 + b'}, "b": []}'
    with pytest.raises(ProtocolError):
        read(frame_bytes(header))


def test_element_count_is_capped():
    with pytest.raises(protocol.TooLarge):
        encode_value(list(range(protocol.MAX_NODES + 1)), refuse_objects)
    node = {"$": "list", "v": [0] * (protocol.MAX_NODES + 1)}
    with pytest.raises(ProtocolError, match="too many"):
        read(frame_bytes(json.dumps({"m": {"v": node}, "b": []}).encode()))


def test_sending_a_tensor_leaves_it_as_it_was():
    """Encoding reads the bytes without exporting the storage (`.numpy()` would make it
    unresizable, so a student's `resize_` after a test read the tensor would fail)."""
    t = torch.arange(6.0)
    node, buffers = encode_value(t, lambda obj: None)
    t.resize_(12)
    assert torch.equal(decode_value(node, buffers, lambda h: None), torch.arange(6.0))

"""Bitmap commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO, with Redis 7.0's
replies, error texts, encodings and dirty-counter effects."""
import pytest

from conftest import I64_MAX, I64_MIN, NOT_INT, WRONGTYPE, dirty, encoding
from resp_util import error, raw, raw_command

BAD_OFFSET = "bit offset is not an integer or out of range"
BAD_TYPE = ("Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported "
            "but i64 is.")


# --- SETBIT, GETBIT -------------------------------------------------------------------------


def test_setbit_getbit(r):
    assert r.setbit("k", 7, 1) == 0
    assert r.get("k") == b"\x01"
    assert r.setbit("k", 7, 1) == 1
    assert r.setbit("k", 7, 0) == 1
    assert r.get("k") == b"\x00"
    assert r.setbit("k", 0, 1) == 0
    assert r.get("k") == b"\x80"
    assert r.setbit("k", 20, 1) == 0
    assert r.get("k") == b"\x80\x00\x08"
    assert r.getbit("k", 0) == 1
    assert r.getbit("k", 1) == 0
    assert r.getbit("k", 20) == 1
    assert r.getbit("k", 1000) == 0
    assert r.getbit("nokey", 5) == 0
    assert r.exists("nokey") == 0
    assert encoding(r, "k") == b"raw"


def test_setbit_on_encoded_strings(r):
    r.set("n", "1")  # 0x31 = 00110001
    assert r.getbit("n", 2) == 1
    assert r.getbit("n", 1) == 0
    assert r.setbit("n", 1, 1) == 0
    assert r.get("n") == b"q"
    assert encoding(r, "n") == b"raw"
    r.set("e", "a")
    assert r.setbit("e", 0, 0) == 0  # no change, but the value becomes raw
    assert encoding(r, "e") == b"raw"


def test_setbit_keeps_ttl(r):
    r.set("k", "a", ex=100)
    r.setbit("k", 100, 1)
    assert 99 <= r.ttl("k") <= 100


@pytest.mark.parametrize("offset", ["-1", "abc", "1.5", "", "4294967296", str(I64_MAX), "#1"])
def test_bit_offset_errors(r, offset):
    assert error(r, "SETBIT", "k", offset, "1") == BAD_OFFSET
    assert error(r, "GETBIT", "k", offset) == BAD_OFFSET
    assert r.exists("k") == 0


@pytest.mark.parametrize("value", ["2", "-1", "abc", "", "1.0", "01"])
def test_setbit_value_errors(r, value):
    assert error(r, "SETBIT", "k", "0", value) == "bit is not an integer or out of range"
    assert r.exists("k") == 0


def test_setbit_getbit_wrongtype_and_arity(r, nonstring):
    assert error(r, "SETBIT", nonstring, "0", "1") == WRONGTYPE
    assert error(r, "GETBIT", nonstring, "0") == WRONGTYPE
    # Arguments are checked before the type.
    assert error(r, "SETBIT", nonstring, "-1", "1") == BAD_OFFSET
    assert error(r, "SETBIT", nonstring, "0", "2") == "bit is not an integer or out of range"
    assert error(r, "GETBIT", nonstring, "x") == BAD_OFFSET
    assert error(r, "SETBIT", "k", "0") == "wrong number of arguments for 'setbit' command"
    assert error(r, "GETBIT", "k") == "wrong number of arguments for 'getbit' command"


def test_bit_offset_limit_follows_proto_max_bulk_len(make_server):
    s = make_server("--proto-max-bulk-len", "1mb")
    c = s.client()
    assert c.setbit("k", 8 * 1024 * 1024 - 1, 1) == 0
    assert c.strlen("k") == 1024 * 1024
    assert error(c, "SETBIT", "k", 8 * 1024 * 1024, "1") == BAD_OFFSET
    assert error(c, "GETBIT", "k", 8 * 1024 * 1024) == BAD_OFFSET
    assert error(c, "BITFIELD", "k", "GET", "u8", 8 * 1024 * 1024) == BAD_OFFSET
    assert raw(c, "BITFIELD", "k", "GET", "u8", 8 * 1024 * 1024 - 8) == [1]
    c.close()


def test_setbit_dirty(r):
    before = dirty(r)
    r.setbit("k", 3, 1)  # created
    r.setbit("k", 3, 1)  # no change
    r.setbit("k", 3, 0)  # change
    r.setbit("k", 20, 0)  # grows
    r.setbit("k", 20, 0)  # no change
    assert dirty(r) - before == 3


# --- BITCOUNT -------------------------------------------------------------------------------


def test_bitcount(r):
    r.set("k", "foobar")
    assert r.bitcount("k") == 26
    assert r.bitcount("k", 0, 0) == 4
    assert r.bitcount("k", 1, 1) == 6
    assert raw(r, "BITCOUNT", "k", "1", "1", "BYTE") == 6
    assert raw(r, "BITCOUNT", "k", "5", "30", "BIT") == 17
    assert raw(r, "BITCOUNT", "k", "5", "30", "bit") == 17
    assert r.bitcount("k", -2, -1) == 7
    assert r.bitcount("k", 0, -1) == 26
    assert r.bitcount("k", 2, 1) == 0
    assert r.bitcount("k", -100, 100) == 26
    assert r.bitcount("k", 100, 200) == 0
    assert r.bitcount("k", -1, -2) == 0
    # Both negative and reversed: 0 at once; only one reversed after clamping: byte 0.
    assert r.bitcount("k", -100, -200) == 0
    assert r.bitcount("k", -200, -100) == 4
    assert raw(r, "BITCOUNT", "k", "-1", "-8", "BIT") == 0
    assert raw(r, "BITCOUNT", "k", "-8", "-1", "BIT") == 4
    assert raw(r, "BITCOUNT", "k", str(I64_MIN), str(I64_MAX), "BIT") == 26
    assert r.bitcount("nokey") == 0
    r.set("n", 12)  # "12" = 0x31 0x32
    assert r.bitcount("n") == 6
    r.set("empty", "")
    assert r.bitcount("empty") == 0
    assert r.bitcount("empty", 0, -1) == 0


def test_bitcount_errors(r, nonstring):
    r.set("k", "foobar")
    assert error(r, "BITCOUNT", "k", "0") == "syntax error"
    assert error(r, "BITCOUNT", "k", "0", "1", "BIT", "x") == "syntax error"
    assert error(r, "BITCOUNT", "k", "0", "1", "BITS") == "syntax error"
    assert error(r, "BITCOUNT", "k", "a", "1") == NOT_INT
    assert error(r, "BITCOUNT", "k", "0", "1.5") == NOT_INT
    # The reversed-negative shortcut comes before the unit is parsed.
    assert raw(r, "BITCOUNT", "k", "-1", "-2", "FOO") == 0
    # A missing key answers 0 before any argument is looked at.
    assert raw(r, "BITCOUNT", "nokey", "0") == 0
    assert raw(r, "BITCOUNT", "nokey", "a", "b", "c") == 0
    assert error(r, "BITCOUNT", nonstring) == WRONGTYPE
    assert error(r, "BITCOUNT", nonstring, "x") == WRONGTYPE
    assert error(r, "BITCOUNT") == "wrong number of arguments for 'bitcount' command"


# --- BITPOS ---------------------------------------------------------------------------------


def test_bitpos(r):
    r.set("k", b"\xff\xf0\x00")
    assert r.bitpos("k", 0) == 12
    assert r.bitpos("k", 1) == 0
    r.set("k", b"\x00\xff\xf0")
    assert r.bitpos("k", 1, 0) == 8
    assert r.bitpos("k", 1, 2) == 16
    assert raw(r, "BITPOS", "k", "1", "2", "-1", "BYTE") == 16
    assert raw(r, "BITPOS", "k", "1", "7", "15", "BIT") == 8
    assert raw(r, "BITPOS", "k", "1", "7", "-3", "BIT") == 8
    assert raw(r, "BITPOS", "k", "0", "8", "15", "bit") == -1
    assert raw(r, "BITPOS", "k", "0", "8", "-1", "BIT") == 20
    assert raw(r, "BITPOS", "k", "1", "0", "7", "BIT") == -1
    assert r.bitpos("k", 1, -1) == 16
    assert r.bitpos("k", 1, 2, 1) == -1
    assert r.bitpos("k", 1, 100) == -1
    # No reversed-negative shortcut here: -100 -200 clamps to byte 0.
    assert r.bitpos("k", 0, -100, -200) == 0
    r.set("z", b"\x00\x00\x00")
    assert r.bitpos("z", 1) == -1
    assert raw(r, "BITPOS", "z", "1", "7", "-3", "BIT") == -1


def test_bitpos_clear_bit_past_the_end(r):
    r.set("ones", b"\xff\xff")
    # Without an explicit end the string is zero-padded on the right...
    assert r.bitpos("ones", 0) == 16
    assert r.bitpos("ones", 0, 1) == 16
    # ...with one, a range without a clear bit gives -1.
    assert r.bitpos("ones", 0, 0, -1) == -1
    assert raw(r, "BITPOS", "ones", "0", "0", "15", "BIT") == -1
    assert r.bitpos("nokey", 0) == 0
    assert r.bitpos("nokey", 1) == -1
    assert r.bitpos("nokey", 0, 5, 10) == 0
    r.set("empty", "")
    assert r.bitpos("empty", 0) == -1
    assert r.bitpos("empty", 1) == -1


def test_bitpos_on_int_encoded(r):
    r.set("n", 1)  # "1" = 00110001
    assert r.bitpos("n", 1) == 2
    assert r.bitpos("n", 0) == 0


def test_bitpos_errors(r, nonstring):
    r.set("k", "abc")
    assert error(r, "BITPOS", "k", "2") == "The bit argument must be 1 or 0."
    assert error(r, "BITPOS", "k", "-1") == "The bit argument must be 1 or 0."
    assert error(r, "BITPOS", "k", "x") == NOT_INT
    assert error(r, "BITPOS", "nokey", "2") == "The bit argument must be 1 or 0."
    assert error(r, "BITPOS", "k", "1", "x") == NOT_INT
    assert error(r, "BITPOS", "k", "1", "0", "x") == NOT_INT
    assert error(r, "BITPOS", "k", "1", "0", "1", "FOO") == "syntax error"
    # The unit is parsed before the end.
    assert error(r, "BITPOS", "k", "1", "0", "x", "FOO") == "syntax error"
    assert error(r, "BITPOS", "k", "1", "0", "1", "BIT", "x") == "syntax error"
    assert raw(r, "BITPOS", "nokey", "1", "x", "y", "z", "w") == -1
    assert error(r, "BITPOS", nonstring, "1") == WRONGTYPE
    assert error(r, "BITPOS", nonstring, "3") == "The bit argument must be 1 or 0."
    assert error(r, "BITPOS", "k") == "wrong number of arguments for 'bitpos' command"


# --- BITOP ----------------------------------------------------------------------------------


def test_bitop(r):
    r.set("a", "foobar")
    r.set("b", "abcdef")
    assert r.bitop("AND", "dest", "a", "b") == 6
    assert r.get("dest") == b"`bc`ab"
    assert r.bitop("OR", "dest", "a", "b") == 6
    assert r.get("dest") == b"goofev"
    assert r.bitop("XOR", "dest", "a", "b") == 6
    assert r.get("dest") == b"\x07\r\x0c\x06\x04\x14"
    assert r.bitop("NOT", "dest", "a") == 6
    assert r.get("dest") == bytes(~c & 0xFF for c in b"foobar")
    assert r.bitop("and", "dest", "a") == 6
    assert r.get("dest") == b"foobar"
    assert encoding(r, "dest") == b"raw"


def test_bitop_unequal_lengths_and_missing_keys(r):
    r.set("a", b"\xff\xff")
    r.set("b", b"\x0f")
    assert r.bitop("AND", "d", "a", "b") == 2
    assert r.get("d") == b"\x0f\x00"
    assert r.bitop("OR", "d", "b", "a") == 2
    assert r.get("d") == b"\xff\xff"
    assert r.bitop("XOR", "d", "a", "b", "nokey") == 2
    assert r.get("d") == b"\xf0\xff"
    assert r.bitop("AND", "d", "a", "nokey") == 2
    assert r.get("d") == b"\x00\x00"
    assert r.bitop("NOT", "d", "b") == 1
    assert r.get("d") == b"\xf0"
    r.set("n", 5)  # int-encoded "5" = 0x35
    assert r.bitop("NOT", "d", "n") == 1
    assert r.get("d") == b"\xca"
    # The destination may be a source.
    assert r.bitop("OR", "a", "a", "b") == 2
    assert r.get("a") == b"\xff\xff"


def test_bitop_empty_result_deletes_destination(r):
    r.set("d", "old", ex=100)
    r.set("empty", "")
    assert r.bitop("OR", "d", "nokey", "empty") == 0
    assert r.exists("d") == 0
    assert r.bitop("NOT", "d", "nokey") == 0
    assert r.exists("d") == 0


def test_bitop_overwrites_destination(r, nonstring):
    r.set("a", "x")
    r.set("d", "old", ex=100)
    assert r.bitop("AND", "d", "a") == 1
    assert r.ttl("d") == -1
    assert r.bitop("AND", nonstring, "a") == 1
    assert r.get(nonstring) == b"x"


def test_bitop_errors(r, nonstring):
    r.set("a", "x")
    assert error(r, "BITOP", "NOT", "d", "a", "a") == \
        "BITOP NOT must be called with a single source key."
    assert error(r, "BITOP", "NAND", "d", "a") == "syntax error"
    assert error(r, "BITOP", "ANDX", "d", "a") == "syntax error"
    assert error(r, "BITOP", "AND", "d", "a", nonstring) == WRONGTYPE
    assert r.exists("d") == 0
    assert error(r, "BITOP", "AND", "d") == "wrong number of arguments for 'bitop' command"


def test_bitop_dirty(r):
    r.set("a", "x")
    before = dirty(r)
    r.bitop("AND", "d", "a")          # written
    r.bitop("AND", "d", "nokey")      # deleted
    r.bitop("AND", "d", "nokey")      # nothing to delete
    assert dirty(r) - before == 2


# --- BITFIELD -------------------------------------------------------------------------------


def test_bitfield_documentation_examples(r):
    assert raw(r, "BITFIELD", "mykey", "INCRBY", "i5", "100", "1", "GET", "u4", "0") == [1, 0]
    r.delete("mykey")
    replies = [raw(r, "BITFIELD", "mykey", "incrby", "u2", "100", "1", "OVERFLOW", "SAT",
                   "incrby", "u2", "102", "1") for _ in range(4)]
    assert replies == [[1, 1], [2, 2], [3, 3], [0, 3]]
    assert raw(r, "BITFIELD", "mykey", "OVERFLOW", "FAIL", "incrby", "u2", "102", "1") == [None]


def test_bitfield_get_set(r):
    assert raw(r, "BITFIELD", "k", "SET", "u8", "0", "255", "GET", "u8", "0") == [0, 255]
    assert r.get("k") == b"\xff"
    assert raw(r, "BITFIELD", "k", "GET", "i8", "0", "GET", "u4", "4", "GET", "u8", "4") == \
        [-1, 15, 240]
    assert raw(r, "BITFIELD", "k", "SET", "u8", "#1", "170") == [0]
    assert r.get("k") == b"\xff\xaa"
    assert raw(r, "BITFIELD", "k", "GET", "u16", "#0", "GET", "i16", "#0") == [0xffaa, -86]
    # The old value is ff aa 00 00 00 00 00 00 read as a signed 64-bit number.
    assert raw(r, "BITFIELD", "k", "SET", "i64", "0", str(I64_MIN), "GET", "i64", "0") == \
        [0xffaa000000000000 - 2**64, I64_MIN]
    assert raw(r, "BITFIELD", "k", "SET", "u63", "1", str(I64_MAX), "GET", "u63", "1",
               "GET", "i1", "0") == [0, I64_MAX, -1]
    # GET past the end reads zeros and creates nothing.
    assert raw(r, "BITFIELD", "nokey", "GET", "u8", "0", "GET", "i64", "1000") == [0, 0]
    assert r.exists("nokey") == 0
    assert raw(r, "BITFIELD", "k") == []
    assert raw(r, "BITFIELD", "nokey", "OVERFLOW", "SAT") == []
    assert r.exists("nokey") == 0


def test_bitfield_unaligned(r):
    # u5 at bit 7 set to 23 gives 00000001 01110000.
    assert raw(r, "BITFIELD", "k", "SET", "u5", "7", "23") == [0]
    assert r.get("k") == b"\x01\x70"
    assert raw(r, "BITFIELD", "k", "GET", "u5", "7", "GET", "i5", "7") == [23, -9]


def test_bitfield_overflow_modes(r):
    replies = raw(r, "BITFIELD", "k",
                  "OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0",
                  "OVERFLOW", "WRAP", "SET", "u8", "0", "-1", "GET", "u8", "0",
                  "SET", "u8", "0", "256", "GET", "u8", "0",
                  "OVERFLOW", "SAT", "SET", "u8", "0", "256", "GET", "u8", "0",
                  "SET", "i8", "8", "200", "GET", "i8", "8",
                  "OVERFLOW", "WRAP", "SET", "i8", "8", "200", "GET", "i8", "8",
                  "SET", "i64", "16", str(I64_MIN), "INCRBY", "i64", "16", "-1",
                  "OVERFLOW", "SAT", "INCRBY", "i64", "16", "-5",
                  "INCRBY", "u63", "100", "-1", "OVERFLOW", "WRAP", "INCRBY", "u63", "100", "-1")
    assert replies == [0, 255, 255, 255, 255, 0, 0, 255, 0, 127, 127, -56, 0, I64_MAX,
                       I64_MAX - 5, 0, I64_MAX]
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "i8", "8", "128",
               "INCRBY", "i8", "8", "-100", "GET", "i8", "8", "INCRBY", "i8", "8", "-1") == \
        [None, None, -56, -57]
    # The policy applies to the operations after it only.
    assert raw(r, "BITFIELD", "w", "INCRBY", "u2", "0", "5", "OVERFLOW", "sat",
               "INCRBY", "u2", "0", "5", "overflow", "fail", "INCRBY", "u2", "0", "5") == \
        [1, 3, None]


def test_bitfield_sat_quirk_near_int64_min(r):
    # Redis computes "max - value" in wrapping 64-bit arithmetic: SET of a value within
    # 2^(bits-1) of INT64_MIN counts as an overflow high and saturates to the maximum.
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "SAT",
               "SET", "i16", "0", str(I64_MIN), "GET", "i16", "0",
               "SET", "i16", "0", str(I64_MIN + 32767), "GET", "i16", "0",
               "SET", "i16", "0", str(I64_MIN + 32768), "GET", "i16", "0",
               "SET", "i16", "0", "-40000", "GET", "i16", "0",
               "OVERFLOW", "WRAP", "SET", "i16", "0", str(I64_MIN), "GET", "i16", "0") == \
        [0, 32767, 32767, 32767, 32767, -32768, -32768, -32768, -32768, 0]


def test_bitfield_fail_still_creates_the_key(r):
    before = dirty(r)
    assert raw(r, "BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "8", "300") == [None]
    assert r.get("k") == b"\x00\x00"
    assert dirty(r) == before


def test_bitfield_hash_offsets_wrap_like_redis(r):
    # "#N" is N * width; the product wraps modulo 2^64 before the range check.
    assert error(r, "BITFIELD", "k", "GET", "u8", "#1152921504606846976") == BAD_OFFSET
    assert raw(r, "BITFIELD", "k", "SET", "i16", "#1152921504606846976", "5") == [0]
    assert r.strlen("k") == 2


def test_bitfield_errors(r, nonstring):
    for bad_type in ("u64", "i65", "i0", "u0", "x8", "I8", "U8", "i", "", "8", "i08"):
        assert error(r, "BITFIELD", "k", "GET", bad_type, "0") == BAD_TYPE, bad_type
    for bad_offset in ("-1", "#-1", "x", "#", "4294967296", "#536870912"):
        assert error(r, "BITFIELD", "k", "GET", "u8", bad_offset) == BAD_OFFSET, bad_offset
    assert error(r, "BITFIELD", "k", "SET", "u8", "0", "x") == NOT_INT
    assert error(r, "BITFIELD", "k", "INCRBY", "u8", "0", "1.5") == NOT_INT
    assert error(r, "BITFIELD", "k", "OVERFLOW", "FOO") == "Invalid OVERFLOW type specified"
    assert error(r, "BITFIELD", "k", "FOO") == "syntax error"
    assert error(r, "BITFIELD", "k", "GET", "u8") == "syntax error"
    assert error(r, "BITFIELD", "k", "SET", "u8", "0") == "syntax error"
    assert error(r, "BITFIELD", "k", "OVERFLOW") == "syntax error"
    # Nothing runs when a later operation is bad.
    assert error(r, "BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u99", "0") == BAD_TYPE
    assert r.exists("k") == 0
    assert error(r, "BITFIELD", nonstring, "GET", "u8", "0") == WRONGTYPE
    assert error(r, "BITFIELD", nonstring, "SET", "u8", "0", "1") == WRONGTYPE
    assert error(r, "BITFIELD", nonstring) == WRONGTYPE
    assert error(r, "BITFIELD") == "wrong number of arguments for 'bitfield' command"


def test_bitfield_ro(r, nonstring):
    r.set("k", b"\x12\x34")
    assert raw(r, "BITFIELD_RO", "k", "GET", "u8", "0", "GET", "u16", "0") == [0x12, 0x1234]
    assert raw(r, "BITFIELD_RO", "k") == []
    assert raw(r, "BITFIELD_RO", "nokey", "GET", "i8", "0") == [0]
    assert error(r, "BITFIELD_RO", "k", "SET", "u8", "0", "1") == \
        "BITFIELD_RO only supports the GET subcommand"
    assert error(r, "BITFIELD_RO", "k", "INCRBY", "u8", "0", "1") == \
        "BITFIELD_RO only supports the GET subcommand"
    # Parse errors come first.
    assert error(r, "BITFIELD_RO", "k", "SET", "u8", "0", "x") == NOT_INT
    assert raw(r, "BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "8") == [0x34]
    assert error(r, "BITFIELD_RO", nonstring, "GET", "u8", "0") == WRONGTYPE
    assert r.get("k") == b"\x12\x34"
    assert error(r, "BITFIELD_RO") == "wrong number of arguments for 'bitfield_ro' command"


def test_bitfield_dirty_counts_changes(r):
    before = dirty(r)
    raw(r, "BITFIELD", "k", "SET", "u8", "0", "1", "SET", "u8", "0", "1")  # created: 2 changes
    assert dirty(r) - before == 2
    before = dirty(r)
    raw(r, "BITFIELD", "k", "SET", "u8", "0", "1", "INCRBY", "u8", "0", "0", "GET", "u8", "0")
    assert dirty(r) == before
    raw(r, "BITFIELD", "k", "SET", "u8", "0", "2", "INCRBY", "u8", "0", "1")
    assert dirty(r) - before == 2


def test_bitfield_resp3_null(server):
    out = raw_command(server.port, b"HELLO 3\r\nDEL bfk\r\n"
                                   b"BITFIELD bfk OVERFLOW FAIL SET u2 0 9\r\n")
    assert out.endswith(b"*1\r\n_\r\n")


# --- Command metadata -----------------------------------------------------------------------


@pytest.mark.parametrize("name,arity,flags,keys,acl", [
    ("setbit", 4, {"write", "denyoom"}, (1, 1, 1), {"@write", "@bitmap", "@slow"}),
    ("getbit", 3, {"readonly", "fast"}, (1, 1, 1), {"@read", "@bitmap", "@fast"}),
    ("bitcount", -2, {"readonly"}, (1, 1, 1), {"@read", "@bitmap", "@slow"}),
    ("bitpos", -3, {"readonly"}, (1, 1, 1), {"@read", "@bitmap", "@slow"}),
    ("bitop", -4, {"write", "denyoom"}, (2, -1, 1), {"@write", "@bitmap", "@slow"}),
    ("bitfield", -2, {"write", "denyoom"}, (1, 1, 1), {"@write", "@bitmap", "@slow"}),
    ("bitfield_ro", -2, {"readonly", "fast"}, (1, 1, 1), {"@read", "@bitmap", "@fast"}),
])
def test_command_info(r, name, arity, flags, keys, acl):
    info = raw(r, "COMMAND", "INFO", name)[0]
    assert info[1] == arity
    assert {f.decode() for f in info[2]} == flags
    assert tuple(info[3:6]) == keys
    assert {c.decode() for c in info[6]} == acl

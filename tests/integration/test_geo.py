"""GEO commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE, GEORADIUS,
GEORADIUSBYMEMBER and the _RO variants: scores, printed digits, reply shapes (RESP2 and
RESP3), every error text, dirty counts and key positions, as redis-server 7.0 answers."""
import pytest

from conftest import NOT_INT, WRONGTYPE, dirty
from resp_util import error, raw, request

ARITY = "wrong number of arguments for '{}' command"
NOT_FLOAT = "value is not a valid float"
SYNTAX = "syntax error"
UNIT = "unsupported unit provided. please use M, KM, FT, MI"
DECODE = "could not decode requested zset member"

SICILY = ["13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"]
PALERMO = [b"13.36138933897018433", b"38.11555639549629859"]
CATANIA = [b"15.08726745843887329", b"37.50266842333162032"]


@pytest.fixture
def sicily(r):
    assert raw(r, "GEOADD", "Sicily", *SICILY) == 2
    return r


def search(r, *args):
    return raw(r, "GEOSEARCH", *args)


# ---- GEOADD ---------------------------------------------------------------------------------

def test_geoadd_stores_52_bit_scores(r):
    assert raw(r, "GEOADD", "g", *SICILY) == 2
    assert raw(r, "ZSCORE", "g", "Palermo") == b"3479099956230698"
    assert raw(r, "ZSCORE", "g", "Catania") == b"3479447370796909"
    assert raw(r, "TYPE", "g") == b"zset"
    assert raw(r, "OBJECT", "ENCODING", "g") == b"listpack"
    # Re-adding is an update, not an addition.
    assert raw(r, "GEOADD", "g", "13.361389", "38.115556", "Palermo") == 0


def test_geoadd_limits(r):
    # The upper limits are accepted: the cell index 2^26 spills into bits 52 and 53.
    assert raw(r, "GEOADD", "g", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw") == 2
    assert raw(r, "ZSCORE", "g", "ne") == b"13510798882111488"
    assert raw(r, "ZSCORE", "g", "sw") == b"0"
    assert raw(r, "GEOPOS", "g", "ne", "sw") == [
        [b"180", b"85.0511287799999991"],
        [b"-179.99999731779098511", b"-85.05112751263942528"]]


def test_geoadd_nx_xx_ch(r):
    assert raw(r, "GEOADD", "g", *SICILY) == 2
    assert raw(r, "GEOADD", "g", "CH", "13.5", "38", "Palermo", "15", "37", "Other") == 2
    assert raw(r, "GEOADD", "g", "NX", "13", "38", "Palermo", "14", "37", "New") == 1
    assert raw(r, "ZSCORE", "g", "Palermo") == b"3479097324432493"  # unchanged by NX
    assert raw(r, "GEOADD", "g", "XX", "13", "38", "Palermo", "14", "37", "New2") == 0
    assert raw(r, "ZSCORE", "g", "New2") is None
    assert raw(r, "GEOADD", "g", "XX", "CH", "13.1", "38", "Palermo") == 1
    assert raw(r, "GEOADD", "g", "ch", "nx", "13.1", "38", "Palermo", "1", "1", "x") == 1
    # XX on a missing key creates nothing.
    assert raw(r, "GEOADD", "none", "XX", "13", "38", "a") == 0
    assert raw(r, "EXISTS", "none") == 0


def test_geoadd_dirty_counts_changes(r):
    before = dirty(r)
    raw(r, "GEOADD", "g", *SICILY)
    assert dirty(r) == before + 2
    raw(r, "GEOADD", "g", *SICILY)
    assert dirty(r) == before + 2
    raw(r, "GEOADD", "g", "13", "38", "Palermo")
    assert dirty(r) == before + 3


def test_geoadd_errors(r):
    assert error(r, "GEOADD", "g", "13", "38") == ARITY.format("geoadd")
    assert error(r, "GEOADD", "g", "13", "38", "a", "14") == SYNTAX
    assert error(r, "GEOADD", "g", "NX", "XX", "13", "38", "a") == SYNTAX
    assert error(r, "GEOADD", "g", "CH", "CH", "CH") == SYNTAX
    assert error(r, "GEOADD", "g", "foo", "13", "38", "a") == SYNTAX
    assert error(r, "GEOADD", "g", "abc", "38", "a") == NOT_FLOAT
    assert error(r, "GEOADD", "g", "13", "nan", "a") == NOT_FLOAT
    assert error(r, "GEOADD", "g", "200", "38", "a") == \
        "invalid longitude,latitude pair 200.000000,38.000000"
    assert error(r, "GEOADD", "g", "13", "85.05112879", "a") == \
        "invalid longitude,latitude pair 13.000000,85.051129"
    assert error(r, "GEOADD", "g", "-180.5", "-86", "a") == \
        "invalid longitude,latitude pair -180.500000,-86.000000"
    # All or nothing: a bad pair after good ones adds nothing.
    assert error(r, "GEOADD", "g", "13", "38", "a", "200", "100", "b") == \
        "invalid longitude,latitude pair 200.000000,100.000000"
    assert raw(r, "EXISTS", "g") == 0


def test_geoadd_wrongtype_after_coordinates(r):
    r.set("str", "x")
    assert error(r, "GEOADD", "str", "13", "38", "a") == WRONGTYPE
    # Coordinates are checked before the key.
    assert error(r, "GEOADD", "str", "200", "38", "a") == \
        "invalid longitude,latitude pair 200.000000,38.000000"


# ---- GEOPOS / GEOHASH / GEODIST -------------------------------------------------------------

def test_geopos(sicily):
    r = sicily
    assert raw(r, "GEOPOS", "Sicily", "Palermo", "nonexist", "Catania") == [PALERMO, None, CATANIA]
    assert raw(r, "GEOPOS", "none", "a", "b") == [None, None]
    assert raw(r, "GEOPOS", "Sicily") == []
    assert error(r, "GEOPOS") == ARITY.format("geopos")


def test_geopos_of_plain_zset_scores(r):
    r.zadd("z", {"a": 0, "b": -5, "c": 1.5})
    assert raw(r, "GEOPOS", "z", "a") == [[b"-179.99999731779098511", b"-85.05112751263942528"]]
    assert len(raw(r, "GEOPOS", "z", "b", "c")) == 2


def test_geohash(sicily):
    r = sicily
    assert raw(r, "GEOHASH", "Sicily", "Palermo", "Catania", "nonexist") == \
        [b"sqc8b49rny0", b"sqdtr74hyu0", None]
    assert raw(r, "GEOHASH", "none", "a") == [None]
    assert raw(r, "GEOHASH", "Sicily") == []
    raw(r, "GEOADD", "g", "180", "85.05112878", "ne", "0", "0", "o", "-122.4194", "37.7749", "sf")
    assert raw(r, "GEOHASH", "g", "ne", "o", "sf") == [b"bp05b5048p0", b"s0000000000",
                                                      b"9q8yyk8ytp0"]


def test_geodist(sicily):
    r = sicily
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania") == b"166274.1516"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania", "m") == b"166274.1516"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania", "KM") == b"166.2742"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania", "mi") == b"103.3182"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Catania", "Ft") == b"545518.8700"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "Palermo") == b"0.0000"
    assert raw(r, "GEODIST", "Sicily", "Palermo", "nonexist") is None
    assert raw(r, "GEODIST", "none", "a", "b") is None


def test_geodist_errors(sicily):
    r = sicily
    assert error(r, "GEODIST", "Sicily", "Palermo") == ARITY.format("geodist")
    assert error(r, "GEODIST", "Sicily", "Palermo", "Catania", "furlong") == UNIT
    assert error(r, "GEODIST", "none", "a", "b", "furlong") == UNIT  # unit before the key
    assert error(r, "GEODIST", "Sicily", "Palermo", "Catania", "km", "x") == SYNTAX


def test_read_commands_wrongtype(r):
    r.set("str", "x")
    for cmd in (("GEOPOS", "str", "a"), ("GEOHASH", "str", "a"), ("GEODIST", "str", "a", "b"),
                ("GEOSEARCH", "str", "FROMMEMBER", "a", "BYRADIUS", "1", "km"),
                ("GEOSEARCH", "str", "bad", "args", "here", "and", "more"),
                ("GEORADIUS", "str", "200", "37", "200", "km"),
                ("GEORADIUSBYMEMBER", "str", "a", "1", "km"),
                ("GEORADIUS_RO", "str", "15", "37", "1", "km"),
                ("GEORADIUSBYMEMBER_RO", "str", "a", "1", "km"),
                ("GEOSEARCHSTORE", "dst", "str", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km")):
        assert error(r, *cmd) == WRONGTYPE, cmd


def test_resp3_shapes(sicily, server):
    replies = request(server.port,
                      ("GEOPOS", "Sicily", "Palermo", "nonexist"),
                      ("GEOHASH", "Sicily", "nonexist"),
                      ("GEODIST", "Sicily", "Palermo", "Catania"),
                      ("GEODIST", "Sicily", "Palermo", "nonexist"),
                      ("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                       "ASC", "WITHCOORD", "WITHDIST", "WITHHASH"),
                      resp3=True)
    pos, hashes, dist, nodist, found = replies
    assert pos.value[0].kind == "*"
    assert [x.kind for x in pos.value[0].value] == [",", ","]
    assert [x.value for x in pos.value[0].value] == PALERMO
    assert pos.value[1].kind == "_"
    assert hashes.value[0].kind == "_"
    assert (dist.kind, dist.value) == ("$", b"166274.1516")
    assert nodist.kind == "_"
    first = found.value[0].value
    assert [x.kind for x in first] == ["$", "$", ":", "*"]
    assert first[0].value == b"Catania"
    assert first[1].value == b"56.4413"
    assert first[2].value == 3479447370796909
    assert [x.kind for x in first[3].value] == [",", ","]
    assert [x.value for x in first[3].value] == CATANIA


# ---- GEOSEARCH ------------------------------------------------------------------------------

def test_geosearch_radius_and_box(sicily):
    r = sicily
    assert search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC") == \
        [b"Catania", b"Palermo"]
    assert search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "DESC") == \
        [b"Palermo", b"Catania"]
    assert search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "100", "km") == [b"Catania"]
    assert search(r, "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC",
                  "WITHDIST") == [[b"Catania", b"56.4413"], [b"Palermo", b"190.4424"]]
    assert search(r, "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "ASC",
                  "WITHDIST") == [[b"Palermo", b"0.0000"], [b"Catania", b"166.2742"]]
    assert search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km") == []
    assert search(r, "none", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km") == []
    assert search(r, "none", "FROMMEMBER", "x", "BYRADIUS", "1", "km") == []


def test_geosearch_with_options(sicily):
    r = sicily
    got = search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC",
                 "WITHCOORD", "WITHDIST", "WITHHASH")
    assert got == [[b"Catania", b"56.4413", 3479447370796909, CATANIA],
                   [b"Palermo", b"190.4424", 3479099956230698, PALERMO]]
    got = search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "mi", "WITHHASH",
                 "ASC")
    assert got == [[b"Catania", 3479447370796909], [b"Palermo", 3479099956230698]]
    got = search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200000", "m", "WITHDIST",
                 "COUNT", "1")
    assert got == [[b"Catania", b"56441.2579"]]
    got = search(r, "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "700000", "ft", "WITHDIST",
                 "COUNT", "1", "DESC")
    assert got == [[b"Palermo", b"624811.1215"]]


def test_geosearch_count_any(r):
    raw(r, "GEOADD", "g", "10", "10", "a", "10.01", "10", "b", "10.02", "10", "c", "10.03", "10",
        "d")
    # COUNT alone sorts and keeps the nearest; ANY keeps the first found, unsorted.
    assert search(r, "g", "FROMLONLAT", "10.03", "10", "BYRADIUS", "10", "km", "COUNT", "2") == \
        [b"d", b"c"]
    assert search(r, "g", "FROMLONLAT", "10.03", "10", "BYRADIUS", "10", "km", "COUNT", "2",
                  "ANY") == [b"a", b"b"]
    assert search(r, "g", "FROMLONLAT", "10.03", "10", "BYRADIUS", "10", "km", "COUNT", "2",
                  "ANY", "DESC") == [b"a", b"b"]
    assert search(r, "g", "FROMLONLAT", "10.03", "10", "BYRADIUS", "10", "km", "COUNT", "9") == \
        [b"d", b"c", b"b", b"a"]


def test_geosearch_errors(sicily):
    r = sicily
    base = ("GEOSEARCH", "Sicily")
    frm = ("FROMLONLAT", "15", "37")
    by = ("BYRADIUS", "200", "km")
    assert error(r, "GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37") == ARITY.format("geosearch")
    assert error(r, *base, "FROMMEMBER", "Palermo", *frm, *by) == SYNTAX
    assert error(r, *base, *frm, "FROMMEMBER", "Palermo", *by) == SYNTAX
    assert error(r, *base, *frm, *by, "BYBOX", "1", "1", "km") == SYNTAX
    assert error(r, *base, *frm, "BYBOX", "1", "1", "km", *by) == SYNTAX
    assert error(r, *base, "BYRADIUS", "10", "km", "WITHDIST", "ASC") == \
        "exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH"
    assert error(r, "geosearch", "Sicily", "FROMMEMBER", "Palermo", "ASC", "WITHDIST", "ASC") == \
        "exactly one of BYRADIUS and BYBOX can be specified for geosearch"
    assert error(r, *base, "FROMMEMBER", "nonexist", *by) == DECODE
    assert error(r, *base, "FROMLONLAT", "15", "100", *by) == \
        "invalid longitude,latitude pair 15.000000,100.000000"
    assert error(r, *base, "FROMLONLAT", "x", "37", *by) == NOT_FLOAT
    assert error(r, *base, *frm, "BYRADIUS", "x", "km") == "need numeric radius"
    assert error(r, *base, *frm, "BYRADIUS", "-1", "km") == "radius cannot be negative"
    assert error(r, *base, *frm, "BYRADIUS", "1", "parsec") == UNIT
    assert error(r, *base, *frm, "BYBOX", "x", "1", "km") == "need numeric width"
    assert error(r, *base, *frm, "BYBOX", "1", "x", "km") == "need numeric height"
    assert error(r, *base, *frm, "BYBOX", "-1", "1", "km") == "height or width cannot be negative"
    assert error(r, *base, *frm, "BYBOX", "1", "-1", "km") == "height or width cannot be negative"
    assert error(r, *base, *frm, "BYBOX", "1", "1", "parsec") == UNIT
    assert error(r, *base, *frm, "BYBOX", "1", "1") == SYNTAX
    assert error(r, *base, *frm, *by, "COUNT", "0") == "COUNT must be > 0"
    assert error(r, *base, *frm, *by, "COUNT", "-3") == "COUNT must be > 0"
    assert error(r, *base, *frm, *by, "COUNT", "x") == NOT_INT
    assert error(r, *base, *frm, *by, "COUNT") == SYNTAX
    assert error(r, *base, *frm, *by, "ANY") == "the ANY argument requires COUNT argument"
    assert error(r, *base, *frm, *by, "STORE", "x") == SYNTAX
    assert error(r, *base, *frm, *by, "STOREDIST") == SYNTAX
    assert error(r, *base, *frm, *by, "foo") == SYNTAX
    # Errors are found before the missing key is noticed.
    assert error(r, "GEOSEARCH", "none", *frm, *by, "ANY") == \
        "the ANY argument requires COUNT argument"


# ---- GEOSEARCHSTORE -------------------------------------------------------------------------

def test_geosearchstore(sicily):
    r = sicily
    frm = ("FROMLONLAT", "15", "37")
    before = dirty(r)
    assert raw(r, "GEOSEARCHSTORE", "dst", "Sicily", *frm, "BYRADIUS", "200", "km") == 2
    assert dirty(r) == before + 2
    assert raw(r, "ZRANGE", "dst", "0", "-1", "WITHSCORES") == \
        [b"Palermo", b"3479099956230698", b"Catania", b"3479447370796909"]
    assert raw(r, "GEOSEARCHSTORE", "dst", "Sicily", *frm, "BYRADIUS", "200", "km",
               "STOREDIST") == 2
    assert raw(r, "ZRANGE", "dst", "0", "-1", "WITHSCORES") == \
        [b"Catania", b"56.441257870158204", b"Palermo", b"190.44242984775784"]
    assert raw(r, "GEOSEARCHSTORE", "dst", "Sicily", *frm, "BYRADIUS", "200", "km", "COUNT",
               "1", "DESC") == 1
    assert raw(r, "ZRANGE", "dst", "0", "-1") == [b"Palermo"]
    # An empty result deletes the destination.
    assert raw(r, "GEOSEARCHSTORE", "dst", "Sicily", *frm, "BYRADIUS", "1", "km") == 0
    assert raw(r, "EXISTS", "dst") == 0
    r.set("dst", "x")
    assert raw(r, "GEOSEARCHSTORE", "dst", "none", *frm, "BYRADIUS", "1", "km") == 0
    assert raw(r, "EXISTS", "dst") == 0
    # The destination may hold any type (and loses its TTL).
    r.set("str", "x", ex=100)
    assert raw(r, "GEOSEARCHSTORE", "str", "Sicily", *frm, "BYRADIUS", "200", "km") == 2
    assert raw(r, "TYPE", "str") == b"zset"
    assert raw(r, "TTL", "str") == -1


def test_geosearchstore_errors(sicily):
    r = sicily
    args = ("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km")
    msg = "GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
    for opt in ("WITHDIST", "WITHHASH", "WITHCOORD"):
        assert error(r, *args, opt) == msg
    assert error(r, *args, "STORE", "x") == SYNTAX
    assert error(r, *args[:-3]) == ARITY.format("geosearchstore")
    assert error(r, "GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "ASC", "DESC") == \
        "exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCHSTORE"


# ---- GEORADIUS family -----------------------------------------------------------------------

def test_georadius(sicily):
    r = sicily
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "ASC") == \
        [[b"Catania", b"56.4413"], [b"Palermo", b"190.4424"]]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD", "COUNT", "1") == \
        [[b"Catania", CATANIA]]
    assert raw(r, "GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "DESC") == \
        [b"Palermo", b"Catania"]
    assert raw(r, "GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "WITHDIST", "ASC") == \
        [[b"Palermo", b"0.0000"], [b"Catania", b"166.2742"]]
    assert raw(r, "GEORADIUSBYMEMBER_RO", "Sicily", "Catania", "100", "km") == [b"Catania"]
    assert raw(r, "GEORADIUS", "none", "15", "37", "200", "km") == []
    assert raw(r, "GEORADIUSBYMEMBER", "none", "x", "200", "km") == []


def test_georadius_store(sicily):
    r = sicily
    before = dirty(r)
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d1") == 2
    assert dirty(r) == before + 2
    assert raw(r, "ZRANGE", "d1", "0", "-1", "WITHSCORES") == \
        [b"Palermo", b"3479099956230698", b"Catania", b"3479447370796909"]
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "d2") == 2
    assert raw(r, "ZRANGE", "d2", "0", "-1", "WITHSCORES") == \
        [b"Catania", b"56.441257870158204", b"Palermo", b"190.44242984775784"]
    # The last of STORE / STOREDIST wins.
    assert raw(r, "GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STOREDIST", "d3",
               "STORE", "d4") == 2
    assert raw(r, "EXISTS", "d3", "d4") == 1
    assert raw(r, "ZSCORE", "d4", "Palermo") == b"3479099956230698"
    assert raw(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "STORE", "d1") == 0
    assert raw(r, "EXISTS", "d1") == 0
    assert raw(r, "GEORADIUS", "none", "15", "37", "1", "km", "STORE", "d2") == 0
    assert raw(r, "EXISTS", "d2") == 0
    # Without a source key GEORADIUSBYMEMBER does not even parse the radius.
    assert raw(r, "GEORADIUSBYMEMBER", "none", "x", "abc", "km", "STORE", "d4") == 0
    assert raw(r, "EXISTS", "d4") == 0


def test_georadius_errors(sicily):
    r = sicily
    store_msg = ("STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and "
                 "WITHCOORD options")
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "200") == ARITY.format("georadius")
    assert error(r, "GEORADIUSBYMEMBER", "Sicily", "a", "1") == ARITY.format("georadiusbymember")
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "x",
                 "WITHDIST") == store_msg
    assert error(r, "GEORADIUS", "none", "15", "37", "200", "km", "STOREDIST", "x",
                 "WITHHASH") == store_msg
    assert error(r, "GEORADIUS", "Sicily", "200", "37", "200", "km") == \
        "invalid longitude,latitude pair 200.000000,37.000000"
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "x", "km") == "need numeric radius"
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "-1", "km") == "radius cannot be negative"
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "1", "parsec") == UNIT
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "STORE") == SYNTAX
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "FROMLONLAT", "1", "2") == SYNTAX
    assert error(r, "GEORADIUS", "Sicily", "15", "37", "1", "km", "ANY") == \
        "the ANY argument requires COUNT argument"
    assert error(r, "GEORADIUS_RO", "Sicily", "15", "37", "1", "km", "STORE", "x") == SYNTAX
    assert error(r, "GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "1", "km", "STOREDIST",
                 "x") == SYNTAX
    assert error(r, "GEORADIUSBYMEMBER", "Sicily", "nonexist", "1", "km") == DECODE
    assert error(r, "GEORADIUSBYMEMBER", "Sicily", "Palermo", "x", "km") == "need numeric radius"
    assert error(r, "GEORADIUSBYMEMBER", "none", "x", "abc", "km", "foo") == SYNTAX


# ---- Introspection --------------------------------------------------------------------------

def test_command_getkeys(r):
    def keys(*args):
        return raw(r, "COMMAND", "GETKEYS", *args)
    assert keys("GEORADIUS", "g", "15", "37", "200", "km") == [b"g"]
    assert keys("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "a") == [b"g", b"a"]
    assert keys("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "a", "STOREDIST", "b") == \
        [b"g", b"a", b"b"]
    assert keys("GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "a", "STORE", "b") == \
        [b"g", b"b", b"a"]
    assert keys("GEORADIUSBYMEMBER", "g", "m", "200", "km", "store", "x") == [b"g", b"x"]
    assert keys("GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km") == \
        [b"d", b"s"]
    assert keys("GEOADD", "g", "1", "2", "m") == [b"g"]


def test_command_info(r):
    rows = {row[0]: row for row in raw(r, "COMMAND", "INFO", "geoadd", "geopos", "geodist",
                                       "geohash", "geosearch", "geosearchstore", "georadius",
                                       "georadiusbymember", "georadius_ro",
                                       "georadiusbymember_ro")}
    expect = {
        b"geoadd": (-5, [b"write", b"denyoom"], 1, 1, 1),
        b"geopos": (-2, [b"readonly"], 1, 1, 1),
        b"geodist": (-4, [b"readonly"], 1, 1, 1),
        b"geohash": (-2, [b"readonly"], 1, 1, 1),
        b"geosearch": (-7, [b"readonly"], 1, 1, 1),
        b"geosearchstore": (-8, [b"write", b"denyoom"], 1, 2, 1),
        b"georadius": (-6, [b"write", b"denyoom", b"movablekeys"], 1, 1, 1),
        b"georadiusbymember": (-5, [b"write", b"denyoom", b"movablekeys"], 1, 1, 1),
        b"georadius_ro": (-6, [b"readonly"], 1, 1, 1),
        b"georadiusbymember_ro": (-5, [b"readonly"], 1, 1, 1),
    }
    for name, (arity, flags, first, last, step) in expect.items():
        row = rows[name]
        assert (row[1], row[2], row[3], row[4], row[5]) == (arity, flags, first, last, step), name
        access = b"@write" if b"write" in flags else b"@read"
        assert row[6] == [access, b"@geo", b"@slow"], name


def test_ties_with_count_follow_redis_partial_sort(r):
    # Redis's partial quicksort is not stable: which equidistant points a COUNT keeps, and
    # their order, are its own.
    args = []
    for m in "abcdefgh":
        args += ["10", "10", m]
    raw(r, "GEOADD", "t", *args, "10.001", "10", "i", "10.001", "10", "j")
    base = ("t", "FROMLONLAT", "10", "10", "BYRADIUS", "10", "km")
    assert search(r, *base, "COUNT", "3", "DESC") == [b"i", b"j", b"c"]
    assert search(r, *base, "COUNT", "9", "DESC") == \
        [b"i", b"j", b"c", b"d", b"e", b"a", b"g", b"h", b"f"]
    assert search(r, *base, "DESC") == [b"i", b"j", b"a", b"b", b"c", b"d", b"e", b"f", b"g",
                                        b"h"]

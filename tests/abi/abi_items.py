"""Enumerate everything the public ABI headers define, so that the
conformance test checks all of it without a hand-kept list.

Two sources, both taken from the compiler's view of the headers rather than
from their text, so that formatting and comments cannot hide a definition:
  * macros: `cc -E -dD`, keeping the #defines whose line markers say they
    come from our public directory;
  * structs, unions, enums and typedefs: a small parser over the `cc -E`
    output of our files only.

Each definition becomes one or more Items: a key shown in the TAP line, the
root name it belongs to (what the project-local list names), and a C
expression or statement that prints the value in the probe programs.
"""

import os
import re
import subprocess


class Item:
    """One checked fact.  `kind` selects how the probe prints it."""

    def __init__(self, root, key, kind, expr):
        self.root = root     # "FOO", "struct foo", "typedef foo_t", ...
        self.key = key       # shown in the TAP line
        self.kind = kind     # value | size | offset | signed | fnmacro
        self.expr = expr


class ParseError(Exception):
    pass


def list_headers(public_dir):
    """Every header under public/, as paths relative to it, sorted."""
    found = []
    for dirpath, _dirs, files in os.walk(public_dir):
        for name in files:
            if name.endswith(".h"):
                full = os.path.join(dirpath, name)
                found.append(os.path.relpath(full, public_dir))
    return sorted(found)


def include_lines(prefix, headers):
    # xen.h first: Xen's own headers expect it before the others.
    ordered = sorted(headers, key=lambda h: (h != "xen.h", h))
    return "".join('#include <%s/%s>\n' % (prefix, h) for h in ordered)


def preprocess(cc, cflags, source, extra):
    cmd = [cc] + cflags + extra + ["-E", "-x", "c", "-"]
    proc = subprocess.run(cmd, input=source, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ParseError("preprocessing our headers failed:\n" + proc.stderr)
    return proc.stdout


LINE_MARKER = re.compile(r'^# (\d+) "([^"]*)"')


def lines_from(text, public_dir):
    """Yield (is_ours, line) for preprocessor output, following markers."""
    public_dir = os.path.realpath(public_dir) + os.sep
    ours = False
    for line in text.splitlines():
        marker = LINE_MARKER.match(line)
        if marker:
            path = marker.group(2)
            ours = (not path.startswith("<") and
                    os.path.realpath(path).startswith(public_dir))
            continue
        yield ours, line


DEFINE = re.compile(r'^\s*#\s*define\s+([A-Za-z_]\w*)(\(?)(.*)$')
UNDEF = re.compile(r'^\s*#\s*undef\s+([A-Za-z_]\w*)')


def is_include_guard(name, body):
    return name.startswith("SUBFLOOR_PUBLIC_") and body.strip() == ""


def macro_items(dd_text, public_dir):
    """Items for every macro our headers define (in definition order)."""
    macros = {}
    for ours, line in lines_from(dd_text, public_dir):
        if not ours:
            continue
        undef = UNDEF.match(line)
        if undef:
            macros.pop(undef.group(1), None)
            continue
        define = DEFINE.match(line)
        if not define:
            continue
        name, paren, body = define.groups()
        if is_include_guard(name, body):
            continue
        macros[name] = "fnmacro" if paren else "value"
    items = []
    for name, kind in macros.items():
        if kind == "fnmacro":
            items.append(Item(name, "macro %s()" % name, "fnmacro", name))
        else:
            items.append(Item(name, "macro %s" % name, "value", name))
    return items


TOKEN = re.compile(r'''
    (?P<space>\s+)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<number>\.?\d(?:[eEpP][+-]|[\w.])*)
  | (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
  | (?P<punct><<=|>>=|\.\.\.|->|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>=?:;,.()\[\]{}])
''', re.VERBOSE)


def tokenize(text):
    tokens = []
    pos = 0
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match:
            raise ParseError("cannot tokenize near %r" % text[pos:pos + 40])
        pos = match.end()
        if match.lastgroup != "space":
            tokens.append(match.group())
    return strip_attributes(tokens)


def strip_attributes(tokens):
    """Drop __attribute__((...)) groups: they never change a name's meaning
    for this test, and layout effects show up in the measured offsets."""
    out = []
    i = 0
    while i < len(tokens):
        if tokens[i] in ("__attribute__", "__attribute"):
            i = skip_group(tokens, i + 1)
            continue
        if tokens[i] in ("__extension__", "__restrict", "__inline"):
            i += 1
            continue
        out.append(tokens[i])
        i += 1
    return out


OPEN = {"(": ")", "[": "]", "{": "}"}


def skip_group(tokens, i):
    """tokens[i] opens a bracket; return the index after its match."""
    if i >= len(tokens) or tokens[i] not in OPEN:
        raise ParseError("expected a bracket at token %d" % i)
    depth = 0
    while i < len(tokens):
        if tokens[i] in OPEN:
            depth += 1
        elif tokens[i] in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ParseError("unbalanced brackets")


class Aggregate:
    def __init__(self, keyword, tag):
        self.keyword = keyword   # struct | union
        self.tag = tag           # None when anonymous
        self.members = []        # Member list


class Member:
    def __init__(self, name, base, pointer, dims, bits, inline):
        self.name = name         # None: anonymous struct/union member
        self.base = base         # base type tokens
        self.pointer = pointer
        self.dims = dims         # array dimensions as token strings
        self.bits = bits         # bit-field width, or None
        self.inline = inline     # Aggregate defined in place, or None


INT_WORDS = {"char", "short", "int", "long", "signed", "unsigned", "_Bool"}
QUALIFIERS = {"const", "volatile", "static", "extern", "inline", "register",
              "typedef"}


class HeaderParser:
    """Just enough of C's declaration grammar for ABI headers."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.aggregates = []     # every tagged aggregate, nested ones too
        self.typedefs = []       # (name, base, pointer, dims, inline)
        self.enum_tags = []
        self.enum_constants = []
        self.arrays = []         # (name, base) of table variables
        self.integer_typedefs = {"int8_t", "int16_t", "int32_t", "int64_t",
                                 "uint8_t", "uint16_t", "uint32_t",
                                 "uint64_t", "intptr_t", "uintptr_t",
                                 "size_t"}

    def peek(self, i):
        return self.tokens[i] if i < len(self.tokens) else None

    def parse(self):
        i = 0
        while i < len(self.tokens):
            i = self.declaration(i)
        return self

    def specifier(self, i):
        """Parse declaration specifiers; return (i, base, inline)."""
        base = []
        inline = None
        while True:
            tok = self.peek(i)
            if tok in ("struct", "union"):
                i, inline = self.aggregate(i)
                base.append("%s %s" % (inline.keyword, inline.tag or "<anon>"))
            elif tok == "enum":
                i = self.enum(i)
                base.append("enum")
            elif tok in QUALIFIERS:
                i += 1
            elif tok is not None and re.match(r"[A-Za-z_]\w*$", tok):
                # An identifier is part of the type until we have a type:
                # after that it is the declarator's name.
                if base and not (tok in INT_WORDS and
                                 all(w in INT_WORDS for w in base)):
                    return i, base, inline
                base.append(tok)
                i += 1
            else:
                return i, base, inline

    def aggregate(self, i):
        keyword = self.tokens[i]
        i += 1
        tag = None
        if re.match(r"[A-Za-z_]\w*$", self.peek(i) or ""):
            tag = self.tokens[i]
            i += 1
        agg = Aggregate(keyword, tag)
        if self.peek(i) == "{":
            i += 1
            while self.peek(i) != "}":
                if self.peek(i) is None:
                    raise ParseError("unterminated %s %s" % (keyword, tag))
                i = self.member_declaration(i, agg)
            i += 1
            if tag:
                self.aggregates.append(agg)
        return i, agg

    def enum(self, i):
        i += 1
        if re.match(r"[A-Za-z_]\w*$", self.peek(i) or ""):
            tag = self.tokens[i]
            i += 1
            if self.peek(i) == "{":
                self.enum_tags.append(tag)
        if self.peek(i) == "{":
            i += 1
            expect_name = True
            depth = 0
            while not (self.peek(i) == "}" and depth == 0):
                tok = self.peek(i)
                if tok is None:
                    raise ParseError("unterminated enum")
                if tok in ("(", "["):
                    depth += 1
                elif tok in (")", "]"):
                    depth -= 1
                elif tok == "," and depth == 0:
                    expect_name = True
                elif expect_name:
                    self.enum_constants.append(tok)
                    expect_name = False
                i += 1
            i += 1
        return i

    def declarator(self, i):
        """Return (i, name, pointer, dims, bits)."""
        pointer = False
        name = None
        dims = []
        bits = None
        while self.peek(i) in ("*", "const", "volatile"):
            pointer = pointer or self.tokens[i] == "*"
            i += 1
        if self.peek(i) == "(":        # (*name)(args): function pointer
            end = skip_group(self.tokens, i)
            inner = [t for t in self.tokens[i + 1:end - 1] if t != "*"]
            name = inner[-1] if inner else None
            pointer = True
            i = end
            if self.peek(i) == "(":
                i = skip_group(self.tokens, i)
        elif re.match(r"[A-Za-z_]\w*$", self.peek(i) or ""):
            name = self.tokens[i]
            i += 1
        while self.peek(i) == "[":
            end = skip_group(self.tokens, i)
            dims.append(" ".join(self.tokens[i + 1:end - 1]))
            i = end
        if self.peek(i) == "(":        # a function declaration
            i = skip_group(self.tokens, i)
        if self.peek(i) == ":":
            bits = self.tokens[i + 1]
            i += 2
        if self.peek(i) == "=":        # initialiser: skip it
            i += 1
            while self.peek(i) not in (",", ";", None):
                i = skip_group(self.tokens, i) if self.peek(i) in OPEN else i + 1
        return i, name, pointer, dims, bits

    def member_declaration(self, i, agg):
        i, base, inline = self.specifier(i)
        if self.peek(i) == ";":
            if inline is not None and inline.tag is None:
                agg.members.append(Member(None, base, False, [], None, inline))
            return i + 1
        while True:
            i, name, pointer, dims, bits = self.declarator(i)
            if name is None:
                raise ParseError("member without a name in %s %s"
                                 % (agg.keyword, agg.tag))
            agg.members.append(Member(name, base, pointer, dims, bits,
                                      inline))
            if self.peek(i) == ",":
                i += 1
                continue
            if self.peek(i) != ";":
                raise ParseError("unexpected %r after member %s"
                                 % (self.peek(i), name))
            return i + 1

    def declaration(self, i):
        is_typedef = self.peek(i) == "typedef"
        start = i
        i, base, inline = self.specifier(i)
        if self.peek(i) == ";":
            return i + 1
        while True:
            i, name, pointer, dims, _bits = self.declarator(i)
            if not is_typedef and name and dims and not pointer:
                self.arrays.append((name, base))
            if is_typedef and name:
                self.typedefs.append((name, base, pointer, dims, inline))
                if (not pointer and not dims and base and
                        (all(w in INT_WORDS for w in base) or
                         (len(base) == 1 and
                          base[0] in self.integer_typedefs))):
                    self.integer_typedefs.add(name)
            if self.peek(i) == ",":
                i += 1
                continue
            if self.peek(i) == ";":
                return i + 1
            if self.peek(i) == "{":    # a function body
                return skip_group(self.tokens, i)
            if i == start or self.peek(i) is None:
                raise ParseError("cannot parse near %r"
                                 % " ".join(self.tokens[start:start + 12]))
            raise ParseError("unexpected %r near %r" % (
                self.peek(i), " ".join(self.tokens[start:i + 1])))


def is_integer_type(base, integer_typedefs):
    if not base:
        return False
    if all(word in INT_WORDS for word in base):
        return True
    return len(base) == 1 and base[0] in integer_typedefs


def member_items(root, type_expr, agg, prefix, items, integer_typedefs):
    for m in agg.members:
        if m.name is None:             # anonymous: members are promoted
            member_items(root, type_expr, m.inline, prefix, items,
                         integer_typedefs)
            continue
        if m.bits is not None:
            raise ParseError("%s.%s is a bit-field: not allowed in ABI "
                             "headers (no offsetof)" % (root, m.name))
        path = prefix + m.name
        label = "%s.%s" % (root, path)
        items.append(Item(root, label + " offset", "offset",
                          "offsetof(%s, %s)" % (type_expr, path)))
        if not (m.dims and m.dims[-1] == ""):
            items.append(Item(root, label + " size", "size",
                              "sizeof(((%s *)0)->%s)" % (type_expr, path)))
        if (m.inline is None and not m.pointer and
                is_integer_type(m.base, integer_typedefs)):
            # Same size and offset can still hide int8_t versus uint8_t.
            element = "((%s *)0)->%s%s" % (type_expr, path,
                                           "[0]" * len(m.dims))
            items.append(Item(root, label + " signedness", "signed",
                              "((__typeof__(%s))-1 < 0)" % element))
        if m.inline is not None and not m.pointer:
            inner = path + "[0]" * len(m.dims) + "."
            member_items(root, type_expr, m.inline, inner, items,
                         integer_typedefs)


def array_fields(parser, base):
    """Member names to print for each element of a table of `base`."""
    if len(base) == 1 and base[0].startswith(("struct ", "union ")):
        keyword, tag = base[0].split(" ", 1)
        for agg in parser.aggregates:
            if agg.keyword == keyword and agg.tag == tag:
                return ["." + m.name for m in agg.members
                        if m.name and not m.dims and m.inline is None]
        raise ParseError("table of unknown type %s" % base[0])
    return [""]


def declaration_items(parser):
    items = []
    for name, base in parser.arrays:
        # Tables a header defines (xsd_errors): compare every element.
        root = "variable " + name
        items.append(Item(root, root, "table",
                          (name, array_fields(parser, base))))
    for agg in parser.aggregates:
        root = "%s %s" % (agg.keyword, agg.tag)
        items.append(Item(root, root + " size", "size", "sizeof(%s)" % root))
        member_items(root, root, agg, "", items, parser.integer_typedefs)
    for tag in parser.enum_tags:
        root = "enum " + tag
        items.append(Item(root, root + " size", "size", "sizeof(%s)" % root))
    for name in parser.enum_constants:
        items.append(Item(name, "enum constant %s" % name, "value", name))
    for name, _base, pointer, dims, inline in parser.typedefs:
        root = "typedef " + name
        items.append(Item(root, root + " size", "size", "sizeof(%s)" % name))
        if name in parser.integer_typedefs:
            items.append(Item(root, root + " signedness", "signed",
                              "((%s)-1 < (%s)0)" % (name, name)))
        if inline is not None and inline.tag is None and not pointer:
            if dims:
                continue
            member_items(root, name, inline, "", items,
                         parser.integer_typedefs)
    return items


def ours_source_text(pp_text, public_dir):
    return "\n".join(line for ours, line in lines_from(pp_text, public_dir)
                     if ours)


# Host headers some public headers react to (xs_wire.h's error table
# appears only when errno names exist).
HOST_PRELUDE = "#include <errno.h>\n#include <stdint.h>\n"


def enumerate_items(cc, cflags, public_dir, include_dir, headers):
    source = HOST_PRELUDE + include_lines("public", headers)
    extra = ["-I", include_dir]
    dd_text = preprocess(cc, cflags, source, extra + ["-dD"])
    pp_text = preprocess(cc, cflags, source, extra)
    parser = HeaderParser(tokenize(ours_source_text(pp_text, public_dir)))
    parser.parse()
    return macro_items(dd_text, public_dir) + declaration_items(parser)

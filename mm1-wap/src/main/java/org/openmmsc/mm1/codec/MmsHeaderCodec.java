package org.openmmsc.mm1.codec;

import org.openmmsc.mm1.codec.DecodeException.Reason;

/** Decoding and encoding of single MMS header fields by their value syntax (mms-encapsulation.md §3, §5). */
final class MmsHeaderCodec {
    private MmsHeaderCodec() {
    }

    static MmsHeader decode(WspReader in, MessageType type) throws DecodeException {
        int start = in.position();
        int b = in.peek();
        if (b >= 0x80) {
            in.readOctet();
            int code = b & 0x7F;
            if (code == MmsField.MESSAGE_TYPE.code()) {
                throw new DecodeException(Reason.MALFORMED_VALUE, in.offset() - 1, "X-Mms-Message-Type repeated");
            }
            MmsField field = MmsField.byCode(code);
            int valueStart = in.position();
            int end = in.end();
            if (field != null) {
                try {
                    return MmsHeader.of(field, decodeValue(in, field, type));
                } catch (DecodeException e) {
                    // Without a Content-Type the body cannot be found, so that one is never kept raw.
                    if (!isSyntaxError(e) || field == MmsField.CONTENT_TYPE) {
                        throw e;
                    }
                    // The value is not in the field's syntax (a robustness case): keep it raw if the
                    // generic rule can delimit it, else the original error stands.
                    in.popLimit(end);
                    in.seek(valueStart);
                    try {
                        in.skipGenericValue();
                    } catch (DecodeException unDelimitable) {
                        throw e;
                    }
                    return new MmsHeader(code, MmsHeader.nameFor(code), new HeaderValue.Raw(in.sliceFrom(valueStart)));
                }
            }
            in.skipGenericValue();
            return new MmsHeader(code, MmsHeader.nameFor(code), new HeaderValue.Raw(in.sliceFrom(valueStart)));
        }
        if (b >= 0x20 && b < 0x7F) {
            // Application-header: Token-text name, Text-string value.
            String name = WspReader.latin1(in.readNulTerminated());
            String value = in.readTextString();
            return MmsHeader.application(name, value);
        }
        // No header starts with this octet (e.g. a stray NUL after the last header): keep it verbatim.
        in.readOctet();
        return new MmsHeader(MmsHeader.STRAY, "Stray-Octet", new HeaderValue.Raw(in.sliceFrom(start)));
    }

    private static HeaderValue decodeValue(WspReader in, MmsField field, MessageType type) throws DecodeException {
        switch (field.syntax()) {
            case TEXT -> {
                if (field == MmsField.CONTENT_LOCATION && isStatusCountForm(type) && in.peek() > 0 && in.peek() < 0x20) {
                    return decodeCounted(in);
                }
                requireText(in);
                return new HeaderValue.Text(in.readTextString());
            }
            case ENCODED_STRING -> {
                if (field == MmsField.RESPONSE_TEXT && type == MessageType.M_MBOX_DELETE_CONF && in.peek() > 0 && in.peek() < 0x20) {
                    return decodeCounted(in);
                }
                return new HeaderValue.Encoded(decodeEncodedString(in));
            }
            case TOKEN -> {
                int b = in.peek();
                if (b < 0x80) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected a token octet");
                }
                return new HeaderValue.Token(in.readOctet());
            }
            case TOKEN_OR_TEXT -> {
                int b = in.peek();
                if (b >= 0x80) {
                    return new HeaderValue.Token(in.readOctet());
                }
                requireText(in);
                return new HeaderValue.TokenText(WspReader.latin1(in.readNulTerminated()));
            }
            case LONG, INTEGER -> {
                // Long-integer fields sent as Short-integer by some handsets are accepted.
                int b = in.peek();
                if (b >= 0x20 && b < 0x80) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected an integer");
                }
                return new HeaderValue.Number(in.readIntegerValue());
            }
            case DATE -> {
                return new HeaderValue.Date(in.readLongInteger());
            }
            case TIME -> {
                int length = in.readValueLength();
                int saved = in.pushLimit(length);
                int token = in.readOctet();
                HeaderValue value = switch (token) {
                    case 0x80 -> new HeaderValue.Time(true, in.readLongInteger());
                    case 0x81 -> new HeaderValue.Time(false, in.readIntegerValue());
                    default -> throw in.error(Reason.MALFORMED_VALUE, "expected absolute or relative token");
                };
                expectEnd(in);
                in.popLimit(saved);
                return value;
            }
            case FROM -> {
                int length = in.readValueLength();
                int saved = in.pushLimit(length);
                int token = in.readOctet();
                HeaderValue value = switch (token) {
                    case 0x80 -> new HeaderValue.From(decodeEncodedString(in));
                    case 0x81 -> new HeaderValue.From(null);
                    default -> throw in.error(Reason.MALFORMED_VALUE, "expected address-present or insert token");
                };
                expectEnd(in);
                in.popLimit(saved);
                return value;
            }
            case VERSION -> {
                int b = in.peek();
                if (b < 0x80) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected a short-integer version");
                }
                int v = in.readOctet() & 0x7F;
                return new HeaderValue.Version(v >> 4, v & 0x0F);
            }
            case CONTENT_TYPE -> {
                return new HeaderValue.ContentTypeValue(WspCodec.decodeContentType(in));
            }
            case COUNTED_STRING -> {
                return decodeCounted(in);
            }
            case COUNTED_DATE -> {
                int length = in.readValueLength();
                int saved = in.pushLimit(length);
                long count = in.readIntegerValue();
                long date = in.readLongInteger();
                expectEnd(in);
                in.popLimit(saved);
                return new HeaderValue.CountedDate(count, date);
            }
            case FLAGS -> {
                int length = in.readValueLength();
                int saved = in.pushLimit(length);
                int token = in.readOctet();
                if (token < 0x80) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected an MM-Flags token");
                }
                EncodedString keyword = decodeEncodedString(in);
                expectEnd(in);
                in.popLimit(saved);
                return new HeaderValue.Flags(token, keyword);
            }
            case QUOTA -> {
                int length = in.readValueLength();
                int saved = in.pushLimit(length);
                int token = in.readOctet();
                if (token < 0x80) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected a quota token");
                }
                long value = in.readIntegerValue();
                expectEnd(in);
                in.popLimit(saved);
                return new HeaderValue.Quota(token, value);
            }
            case RAW -> throw in.error(Reason.MALFORMED_VALUE, "kept raw by design");
            default -> throw new IllegalStateException(field.syntax().toString());
        }
    }

    /** Errors that mean "not this syntax", as opposed to limits, which always stand. */
    static boolean isSyntaxError(DecodeException e) {
        return e.reason() == Reason.MALFORMED_VALUE || e.reason() == Reason.TRUNCATED;
    }

    private static boolean isStatusCountForm(MessageType type) {
        return type == MessageType.M_MBOX_DELETE_CONF || type == MessageType.M_DELETE_CONF;
    }

    private static void requireText(WspReader in) throws DecodeException {
        int b = in.peek();
        if (b != 0 && b != 0x7F && (b < 0x20 || b >= 0x80)) {
            throw in.error(Reason.MALFORMED_VALUE, "expected text");
        }
    }

    private static void expectEnd(WspReader in) throws DecodeException {
        if (in.hasRemaining()) {
            throw in.error(Reason.MALFORMED_VALUE, in.remaining() + " octets left inside a value");
        }
    }

    private static HeaderValue decodeCounted(WspReader in) throws DecodeException {
        int length = in.readValueLength();
        int saved = in.pushLimit(length);
        long count = in.readIntegerValue();
        EncodedString value = decodeEncodedString(in);
        expectEnd(in);
        in.popLimit(saved);
        return new HeaderValue.Counted(count, value);
    }

    /** Encoded-string-value: Text-string, or Value-length Char-set Text-string. */
    static EncodedString decodeEncodedString(WspReader in) throws DecodeException {
        int b = in.peek();
        if (b >= 0x80) {
            throw in.error(Reason.MALFORMED_VALUE, "expected an encoded string");
        }
        if (b >= 0x20 || b == 0) {
            if (b == 0x7F) {
                in.readOctet();
            }
            return new EncodedString(EncodedString.NO_CHARSET, in.readNulTerminated());
        }
        int length = in.readValueLength();
        int saved = in.pushLimit(length);
        int charset;
        int c = in.peek();
        if (c == 0x80) {
            in.readOctet();
            charset = 0;
        } else if (c >= 0x20 && c < 0x80) {
            throw in.error(Reason.MALFORMED_VALUE, "textual charset in an encoded string");
        } else {
            long mib = in.readIntegerValue();
            if (mib > 0xFFFF) {
                throw in.error(Reason.MALFORMED_VALUE, "charset " + mib);
            }
            charset = (int) mib;
        }
        if (in.hasRemaining() && in.peek() == 0x7F) {
            in.readOctet();
        }
        // The text runs to the end of the value: UTF-16 text contains NUL octets of its own.
        int textLength = in.remaining();
        if (textLength > in.limits().maxStringLength() + 1) {
            throw in.error(Reason.STRING_TOO_LONG, "text longer than " + in.limits().maxStringLength());
        }
        ByteSlice text;
        if (textLength > 0 && in.buffer()[in.end() - 1] == 0) {
            text = in.slice(textLength - 1);
            in.readOctet();
        } else {
            text = in.slice(textLength);
        }
        in.popLimit(saved);
        return new EncodedString(charset, text);
    }

    // ---------------------------------------------------------------- encoding

    static void encode(WspWriter out, MmsHeader header) {
        if (header.code() == MmsHeader.STRAY) {
            out.writeSlice(((HeaderValue.Raw) header.value()).octets());
            return;
        }
        if (header.code() == MmsHeader.APPLICATION) {
            out.writeTokenText(header.name());
            out.writeTextString(((HeaderValue.Text) header.value()).value());
            return;
        }
        out.writeOctet(0x80 | header.code());
        encodeValue(out, header.field(), header.value());
    }

    static void encodeValue(WspWriter out, MmsField field, HeaderValue value) {
        switch (value) {
            case HeaderValue.Raw raw -> out.writeSlice(raw.octets());
            case HeaderValue.Text text -> out.writeTextString(text.value());
            case HeaderValue.TokenText text -> out.writeTokenText(text.value());
            case HeaderValue.Encoded encoded -> encodeEncodedString(out, encoded.value());
            case HeaderValue.Token token -> out.writeOctet(token.octet());
            case HeaderValue.Number number -> {
                if (field != null && field.syntax() == MmsField.Syntax.LONG) {
                    out.writeLongInteger(number.value());
                } else {
                    out.writeIntegerValue(number.value());
                }
            }
            case HeaderValue.Date date -> out.writeLongInteger(date.epochSeconds());
            case HeaderValue.Time time -> {
                WspWriter inner = new WspWriter(12, false);
                inner.writeOctet(time.absolute() ? 0x80 : 0x81);
                if (time.absolute()) {
                    inner.writeLongInteger(time.seconds());
                } else {
                    inner.writeIntegerValue(time.seconds());
                }
                out.writeValueLength(inner.size());
                out.writeWriter(inner);
            }
            case HeaderValue.From from -> {
                if (from.insertAddress()) {
                    out.writeOctet(1);
                    out.writeOctet(0x81);
                } else {
                    WspWriter inner = new WspWriter(48, false);
                    inner.writeOctet(0x80);
                    encodeEncodedString(inner, from.address());
                    out.writeValueLength(inner.size());
                    out.writeWriter(inner);
                }
            }
            case HeaderValue.Version version -> out.writeOctet(version.octet());
            case HeaderValue.ContentTypeValue contentType -> WspCodec.encodeContentType(out, contentType.contentType());
            case HeaderValue.Counted counted -> {
                WspWriter inner = new WspWriter(48, false);
                inner.writeIntegerValue(counted.count());
                encodeEncodedString(inner, counted.value());
                out.writeValueLength(inner.size());
                out.writeWriter(inner);
            }
            case HeaderValue.CountedDate counted -> {
                WspWriter inner = new WspWriter(16, false);
                inner.writeIntegerValue(counted.count());
                inner.writeLongInteger(counted.epochSeconds());
                out.writeValueLength(inner.size());
                out.writeWriter(inner);
            }
            case HeaderValue.Flags flags -> {
                WspWriter inner = new WspWriter(32, false);
                inner.writeOctet(flags.token());
                encodeEncodedString(inner, flags.keyword());
                out.writeValueLength(inner.size());
                out.writeWriter(inner);
            }
            case HeaderValue.Quota quota -> {
                WspWriter inner = new WspWriter(12, false);
                inner.writeOctet(quota.token());
                inner.writeIntegerValue(quota.value());
                out.writeValueLength(inner.size());
                out.writeWriter(inner);
            }
        }
    }

    static void encodeEncodedString(WspWriter out, EncodedString value) {
        ByteSlice octets = value.octets();
        boolean plain = value.charset() == EncodedString.NO_CHARSET;
        boolean quote = octets.length() > 0
                && (plain ? WspWriter.needsQuote(octets.get(0)) : WspWriter.needsQuoteAfterCharset(octets.get(0)));
        if (plain) {
            if (quote) {
                out.writeOctet(0x7F);
            }
            out.writeSlice(octets);
            out.writeOctet(0);
            return;
        }
        int charsetSize = value.charset() == 0 || value.charset() < 128 ? 1
                : 1 + (value.charset() > 0xFF ? 2 : 1);
        out.writeValueLength(charsetSize + (quote ? 1 : 0) + octets.length() + 1);
        if (value.charset() == 0) {
            out.writeOctet(0x80);
        } else {
            out.writeIntegerValue(value.charset());
        }
        if (quote) {
            out.writeOctet(0x7F);
        }
        out.writeSlice(octets);
        out.writeOctet(0);
    }
}

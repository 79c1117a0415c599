package org.openmmsc.mm1.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.mm1.codec.ByteSlice;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.EncodedString;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.Parameter;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.codec.WspHeader;

/** Converts between the codec's wire records and the core's message model. */
final class PduMapping {
    private PduMapping() {}

    static org.openmmsc.core.model.ContentType toCore(ContentType wire) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Parameter p : wire.parameters()) params.putIfAbsent(p.name().toLowerCase(java.util.Locale.ROOT), p.value());
        return new org.openmmsc.core.model.ContentType(wire.mediaType(), params);
    }

    static ContentType toWire(org.openmmsc.core.model.ContentType core) {
        List<Parameter> params = new ArrayList<>();
        core.parameters().forEach((k, v) -> params.add(Parameter.of(k, v)));
        return ContentType.of(core.mediaType(), params.toArray(Parameter[]::new));
    }

    /** The parts as sent, bytes untouched (a nested multipart travels as its encoded bytes). */
    static List<MessagePart> partsOf(ContentType contentType, MessageBody body) {
        List<MessagePart> parts = new ArrayList<>();
        switch (body) {
            case MessageBody.Multipart m -> {
                for (Part p : m.parts()) {
                    List<MessagePart.Header> headers = new ArrayList<>();
                    for (WspHeader h : p.headers()) {
                        if (h.code() != WspHeader.SHIFT && !h.name().isBlank() && h.name().chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                            headers.add(new MessagePart.Header(h.name(), h.value()));
                        }
                    }
                    parts.add(new MessagePart(toCore(p.contentType()), headers, p.data().toByteArray()));
                }
            }
            case MessageBody.Opaque o -> parts.add(new MessagePart(toCore(contentType), List.of(), o.data().toByteArray()));
            case null -> { }
        }
        return parts;
    }

    static MessageBody bodyOf(org.openmmsc.core.model.ContentType contentType, List<MessagePart> parts) {
        if (!contentType.isMultipart()) {
            return new MessageBody.Opaque(parts.isEmpty() ? ByteSlice.EMPTY : ByteSlice.wrap(parts.getFirst().content()));
        }
        List<Part> wire = new ArrayList<>();
        for (MessagePart p : parts) {
            List<WspHeader> headers = new ArrayList<>();
            for (MessagePart.Header h : p.headers()) {
                if (h.name().equalsIgnoreCase("Content-ID")) headers.add(WspHeader.contentId(h.value()));
                else if (h.name().equalsIgnoreCase("Content-Location")) headers.add(WspHeader.contentLocation(h.value()));
                else headers.add(WspHeader.textual(h.name(), h.value()));
            }
            wire.add(new Part(toWire(p.contentType()), headers, ByteSlice.wrap(p.content()), null));
        }
        return new MessageBody.Multipart(wire);
    }

    static EncodedText text(EncodedString s) {
        if (s == null) return null;
        String charset = s.charset() == EncodedString.NO_CHARSET ? "US-ASCII" : s.charsetName();
        return new EncodedText(s.text(), charset == null || charset.isBlank() ? "UTF-8" : charset);
    }

    static MessageClass messageClass(HeaderValue value) {
        if (value instanceof HeaderValue.Token t) {
            return switch (t.octet()) {
                case 0x81 -> MessageClass.ADVERTISEMENT;
                case 0x82 -> MessageClass.INFORMATIONAL;
                case 0x83 -> MessageClass.AUTO;
                default -> MessageClass.PERSONAL;
            };
        }
        return MessageClass.PERSONAL;
    }

    static int messageClassToken(MessageClass c) {
        return switch (c) {
            case PERSONAL -> 0x80;
            case ADVERTISEMENT -> 0x81;
            case INFORMATIONAL -> 0x82;
            case AUTO -> 0x83;
        };
    }

    static Priority priority(int token) {
        return switch (token) {
            case 0x80 -> Priority.LOW;
            case 0x82 -> Priority.HIGH;
            default -> Priority.NORMAL;
        };
    }

    static int priorityToken(Priority p) {
        return switch (p) {
            case LOW -> 0x80;
            case NORMAL -> 0x81;
            case HIGH -> 0x82;
        };
    }

    static TimeSpec time(HeaderValue value) {
        if (!(value instanceof HeaderValue.Time t)) return null;
        return t.absolute() ? TimeSpec.at(Instant.ofEpochSecond(t.seconds())) : TimeSpec.after(Duration.ofSeconds(Math.max(0, t.seconds())));
    }
}

package org.openmmsc.mm7.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.MimeUtil;
import org.openmmsc.core.model.MessagePart;

/**
 * Splits one level of a MIME multipart body into its parts with Mime4j's token stream: each part's
 * Content-ID, Content-Type and other headers (unfolded), and its body with any base64 or
 * quoted-printable transfer encoding undone. A part that is itself multipart stays whole (raw), to
 * be split by a second call. Pure: bytes in, parts out; the caller caps the size first.
 */
final class MultipartSplitter {
    /** Mime4j's limits are for e-mail; an MM7 part header can be long (Content-Type with many parameters), never unbounded. */
    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxLineLen(-1)
            .setMaxHeaderLen(64 * 1024)
            .setMaxHeaderCount(256)
            .setMaxContentLen(-1)
            .setStrictParsing(false)
            .build();

    private MultipartSplitter() {}

    /** The parts of {@code body}, a multipart whose Content-Type (with its boundary) is {@code contentType}. */
    static List<Attachment> split(byte[] body, String contentType) throws Mm7Exception {
        MimeTokenStream stream = new MimeTokenStream(CONFIG);
        stream.parseHeadless(new ByteArrayInputStream(body), contentType);
        List<Attachment> parts = new ArrayList<>();
        List<MessagePart.Header> headers = null;
        String partType = null;
        String contentId = null;
        int depth = 0;
        try {
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_START_BODYPART -> {
                        // This part (the entity now current) is not parsed into: a nested multipart comes whole, as its body.
                        stream.setRecursionMode(RecursionMode.M_FLAT);
                        depth++;
                        headers = new ArrayList<>();
                        partType = null;
                        contentId = null;
                    }
                    case T_FIELD -> {
                        if (depth == 0) break;
                        Field f = stream.getField();
                        String value = MimeUtil.unfold(f.getBody() == null ? "" : f.getBody()).strip();
                        String name = f.getName();
                        // Content-Type is the part's type; the transfer encoding is undone below, so it is not kept.
                        if (name.equalsIgnoreCase("Content-Type")) {
                            partType = value;
                        } else if (!name.equalsIgnoreCase("Content-Transfer-Encoding")) {
                            if (name.equalsIgnoreCase("Content-ID")) contentId = value;
                            headers.add(new MessagePart.Header(name, value));
                        }
                    }
                    case T_BODY -> {
                        if (depth == 0) break;
                        byte[] bytes;
                        try (InputStream in = stream.getDecodedInputStream()) {
                            bytes = in.readAllBytes();
                        }
                        // A part without Content-Type is text/plain (RFC 2046 §5.1).
                        parts.add(new Attachment(Attachment.normalizeId(contentId), partType == null ? "text/plain" : partType, headers, bytes));
                    }
                    case T_END_BODYPART -> depth--;
                    default -> { }
                }
            }
        } catch (MimeException | IOException | IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "multipart body is not readable MIME: " + Mm7SoapCodec.reason(e));
        }
        if (parts.isEmpty()) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "multipart body has no part delimited by its boundary (Content-Type " + contentType + ")");
        }
        return parts;
    }
}

package org.openmmsc.mm1.codec;

import java.util.List;

/** What follows the Content-Type header of a PDU. */
public sealed interface MessageBody {

    /** A WSP multipart (application/vnd.wap.multipart.*). */
    record Multipart(List<Part> parts) implements MessageBody {
        public Multipart {
            parts = List.copyOf(parts);
        }
    }

    /** Any other body (a single text, or bytes a multipart type announced but did not contain). */
    record Opaque(ByteSlice data) implements MessageBody {
    }
}

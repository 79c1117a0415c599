package org.openmmsc.mm3.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessagePart;

class MimeCodecTest {
    private final MimeCodec codec = new MimeCodec();

    @Test
    void writtenMultipartReadsBackWithTheSamePartsAndHeaders() throws Exception {
        byte[] jpeg = new byte[3000];
        for (int i = 0; i < jpeg.length; i++) jpeg[i] = (byte) (i * 31);
        List<MessagePart> parts = List.of(
                new MessagePart(ContentType.parse("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")),
                        "<smil><body/></smil>".getBytes(StandardCharsets.US_ASCII)),
                new MessagePart(ContentType.parse("text/plain; charset=utf-8"), List.of(new MessagePart.Header("Content-Location", "t.txt")),
                        "blåbær".getBytes(StandardCharsets.UTF_8)),
                new MessagePart(ContentType.parse("image/jpeg; name=p.jpg"), List.of(), jpeg));
        ContentType type = new ContentType("multipart/related", Map.of("type", "application/smil", "start", "<smil>"));
        byte[] bytes = codec.write(List.of(new MessagePart.Header("Subject", MimeCodec.encodeWords("Hei på deg")),
                new MessagePart.Header("X-Mms-Message-Type", "MM4_forward.REQ")), type, parts);

        MailMessage read = codec.parse(bytes);
        assertEquals("multipart/related", read.contentType().mediaType());
        assertEquals("application/smil", read.contentType().parameter("type"));
        assertEquals(null, read.contentType().parameter("boundary"), "the boundary is framing, not content");
        assertEquals("Hei på deg", MimeCodec.decodeWords(read.header("subject")));
        assertEquals("MM4_forward.REQ", read.header("X-MMS-MESSAGE-TYPE"));
        assertEquals(3, read.parts().size());
        assertEquals("<smil>", read.parts().get(0).header("Content-ID"));
        assertArrayEquals("blåbær".getBytes(StandardCharsets.UTF_8), read.parts().get(1).content());
        assertArrayEquals(jpeg, read.parts().get(2).content());
        assertEquals("image/jpeg", read.parts().get(2).contentType().mediaType());
    }

    @Test
    void foldedHeadersAreUnfolded() throws Exception {
        MailMessage m = codec.parse("To: a,\n  b,\n\tc\nSubject: s\n\nbody\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("a,  b,\tc", m.header("to"), "RFC 5322 unfolding removes the line break only");
        assertEquals("text/plain", m.contentType().mediaType());
        assertEquals(1, m.parts().size());
    }

    @Test
    void aHeaderValueWithALineBreakIsNeverWritten() {
        assertThrows(MimeException.class, () -> codec.write(List.of(new MessagePart.Header("Subject", "a\r\nBcc: x@y")),
                ContentType.parse("text/plain"), List.of(new MessagePart(ContentType.parse("text/plain"), List.of(), new byte[] {'x'}))));
    }

    @Test
    void tooManyPartsIsOneTypedError() {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 5; i++) sb.append("--b\nContent-Type: text/plain\n\nx\n");
        sb.append("--b--\n");
        MimeException e = assertThrows(MimeException.class, () -> new MimeCodec(100, 3).parse(sb.toString().getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("more than 3 parts"), e.getMessage());
    }

    @Test
    void transferEncodingsAreUndoneOnTheFastPathAndInsideNestedMultiparts() throws Exception {
        String mail = """
                From: a@b.example
                Subject: folded
                 subject	line
                Content-Type: multipart/mixed; boundary=o

                --o
                Content-Type: image/png
                Content-Transfer-Encoding: base64

                AAEC
                AwQF
                --o
                Content-Type: application/octet-stream
                Content-Transfer-Encoding: BASE64

                AAECAw=
                --o
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                bl=E5b=E6r=
                 soft
                --o--
                """;
        MailMessage read = codec.parse(mail.getBytes(StandardCharsets.US_ASCII));
        assertEquals("folded subject\tline", read.header("Subject"), "unfolded into one line");
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, read.parts().get(0).content(), "base64 across lines");
        assertArrayEquals(new byte[] {0, 1, 2, 3}, read.parts().get(1).content(), "bad padding decoded leniently, as Mime4j did");
        assertArrayEquals("blåbær soft".getBytes(StandardCharsets.ISO_8859_1), read.parts().get(2).content());

        String nested = """
                From: a@b.example
                Content-Type: multipart/mixed; boundary=o

                --o
                Content-Type: multipart/alternative; boundary=i

                --i
                Content-Type: text/plain
                Content-Transfer-Encoding: base64

                aGk=
                --i--
                --o
                Content-Type: image/gif
                Content-Transfer-Encoding: base64

                R0lG
                --o--
                """;
        MailMessage withNested = codec.parse(nested.getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, withNested.parts().size());
        assertEquals("multipart/alternative", withNested.parts().get(0).contentType().mediaType());
        assertTrue(new String(withNested.parts().get(0).content(), StandardCharsets.US_ASCII).contains("aGk="), "the nested part keeps its encoding once");
        assertArrayEquals("GIF".getBytes(StandardCharsets.US_ASCII), withNested.parts().get(1).content());
    }
}

package org.openmmsc.mm3.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessagePart;

/** Text parts of an e-mail become UTF-8 text parts, labelled so; other parts are left alone. */
class Mm3CharsetTest {
    private static MessagePart text(String type, byte[] bytes) {
        return new MessagePart(ContentType.parse(type), List.of(new MessagePart.Header("Content-ID", "<t>")), bytes);
    }

    private static void assertUtf8(String expected, MessagePart converted) {
        assertEquals("utf-8", converted.contentType().parameter("charset"));
        assertEquals(expected, new String(converted.content(), StandardCharsets.UTF_8));
        assertEquals("<t>", converted.header("Content-ID"), "part headers are kept");
    }

    @Test
    void declaredCharsetsAreConverted() throws Exception {
        assertUtf8("blåbærsyltetøy", Mm3Inbound.toUtf8(text("text/plain; charset=ISO-8859-1", "blåbærsyltetøy".getBytes(StandardCharsets.ISO_8859_1))));
        assertUtf8("“smart” quotes – €5", Mm3Inbound.toUtf8(text("text/plain; charset=windows-1252", "“smart” quotes – €5".getBytes(Charset.forName("windows-1252")))));
        assertUtf8("こんにちは、世界", Mm3Inbound.toUtf8(text("text/plain; charset=Shift_JIS", "こんにちは、世界".getBytes(Charset.forName("Shift_JIS")))));
        assertUtf8("こんにちは", Mm3Inbound.toUtf8(text("text/plain; charset=iso-2022-jp", "こんにちは".getBytes(Charset.forName("ISO-2022-JP")))));
        assertUtf8("<p>Ærlig</p>", Mm3Inbound.toUtf8(text("text/html; charset=iso-8859-15", "<p>Ærlig</p>".getBytes(Charset.forName("ISO-8859-15")))));
    }

    @Test
    void mislabelledAndUnlabelledTextIsReadAsMailClientsMeantIt() throws Exception {
        // Outlook labels windows-1252 text ISO-8859-1: 0x80 is the euro sign, not a C1 control.
        assertUtf8("€ 10", Mm3Inbound.toUtf8(text("text/plain; charset=iso-8859-1", new byte[] {(byte) 0x80, ' ', '1', '0'})));
        assertUtf8("ærlig", Mm3Inbound.toUtf8(text("text/plain", "ærlig".getBytes(StandardCharsets.UTF_8))));
        assertUtf8("ærlig", Mm3Inbound.toUtf8(text("text/plain; charset=us-ascii", "ærlig".getBytes(StandardCharsets.ISO_8859_1))));
        assertUtf8("bad \uFFFD byte", Mm3Inbound.toUtf8(text("text/plain; charset=shift_jis", new byte[] {'b', 'a', 'd', ' ', (byte) 0xA0, ' ', 'b', 'y', 't', 'e'})));
    }

    @Test
    void asciiUtf8AndMediaPartsPassUnchanged() throws Exception {
        MessagePart ascii = text("text/plain; charset=us-ascii", "plain".getBytes(StandardCharsets.US_ASCII));
        assertSame(ascii, Mm3Inbound.toUtf8(ascii));
        MessagePart utf8 = text("text/plain; charset=UTF-8", "ærlig".getBytes(StandardCharsets.UTF_8));
        assertSame(utf8, Mm3Inbound.toUtf8(utf8));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
        MessagePart image = text("image/jpeg", jpeg);
        assertArrayEquals(jpeg, Mm3Inbound.toUtf8(image).content());
        assertSame(image, Mm3Inbound.toUtf8(image));
    }

    @Test
    void aCharsetThisJvmCannotReadIsRefused() {
        assertThrows(Mm3Inbound.UnsupportedCharset.class, () -> Mm3Inbound.toUtf8(text("text/plain; charset=x-klingon", new byte[] {(byte) 0xC0})));
    }
}

package org.openmmsc.mm4.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.TimeSpec;

public class Mm4CodecTest {
    private final Mm4Codec codec = new Mm4Codec();

    public static Mm4Pdu.ForwardRequest sampleForward() {
        List<MessagePart> parts = List.of(
                new MessagePart(ContentType.parse("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")),
                        "<smil/>".getBytes(StandardCharsets.US_ASCII)),
                new MessagePart(ContentType.parse("image/png"), List.of(new MessagePart.Header("Content-Location", "a.png")), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}));
        return new Mm4Pdu.ForwardRequest("6.10.0", "T-1", "01ABC", "+4790000001/TYPE=PLMN",
                List.of("+4690000002/TYPE=PLMN@mms.b.test"), List.of("+4690000003/TYPE=PLMN@mms.b.test"), "Hei på deg",
                Instant.parse("2024-01-02T10:00:00Z"), "+4790000001/TYPE=PLMN@mms.a.test", true, "system-user@mms.a.test",
                MessageClass.ADVERTISEMENT, Priority.HIGH, TimeSpec.after(Duration.ofSeconds(600)), true, false, true, false,
                2, List.of("+4790000009/TYPE=PLMN"), List.of("Mon, 01 Jan 2024 09:00:00 +0000"),
                "vasp1", "vas1", "svc", "+4790000001/TYPE=PLMN", "link-1", true, "image-basic", false, "app", "reply-app", "aux",
                "<01ABC@mms.a.test>", 0,
                new ContentType("multipart/related", Map.of("type", "application/smil", "start", "<smil>")), parts, null);
    }

    @Test
    void forwardRequestRoundTripsThroughMime() throws Exception {
        Mm4Pdu.ForwardRequest sent = sampleForward();
        var read = assertInstanceOf(Mm4Pdu.ForwardRequest.class, codec.decode(codec.encodeForward(sent)));
        assertEquals(sent.transactionId(), read.transactionId());
        assertEquals(sent.messageId(), read.messageId());
        assertEquals(sent.from(), read.from());
        assertEquals(sent.to(), read.to());
        assertEquals(sent.cc(), read.cc());
        assertEquals("Hei på deg", read.subject());
        assertEquals(sent.date(), read.date());
        assertEquals(sent.originatorSystem(), read.originatorSystem());
        assertEquals(MessageClass.ADVERTISEMENT, read.messageClass());
        assertEquals(Priority.HIGH, read.priority());
        assertEquals(sent.expiry(), read.expiry());
        assertEquals(Boolean.TRUE, read.deliveryReport());
        assertEquals(Boolean.FALSE, read.originatorRsDeliveryReport());
        assertEquals(Boolean.TRUE, read.senderHidden());
        assertEquals(Boolean.FALSE, read.readReply());
        assertEquals(2, read.forwardCounter());
        assertEquals(sent.previouslySentBy(), read.previouslySentBy());
        assertEquals(sent.previouslySentDateAndTime(), read.previouslySentDateAndTime());
        assertEquals("vasp1", read.vaspId());
        assertEquals("vas1", read.vasId());
        assertEquals("svc", read.serviceCode());
        assertEquals("link-1", read.linkedId());
        assertEquals(Boolean.TRUE, read.adaptationAllowed());
        assertEquals("image-basic", read.contentClass());
        assertEquals("aux", read.auxApplicInfo());
        assertTrue(read.ackRequested());
        assertEquals(2, read.parts().size());
        assertArrayEquals(sent.parts().get(1).content(), read.parts().get(1).content());
        assertEquals("a.png", read.parts().get(1).header("Content-Location"));
    }

    @Test
    void responsesAndDeliveryReportsRoundTrip() throws Exception {
        var res = new Mm4Pdu.Response(Mm4Type.FORWARD_RES, null, "T-1", "01ABC", "Error-service-denied", "no \"thanks\"", null, null);
        var readRes = assertInstanceOf(Mm4Pdu.Response.class, codec.decode(codec.encodeResponse(res, "system-user@mms.b.test", "system-user@mms.a.test")));
        assertEquals("T-1", readRes.transactionId());
        assertFalse(readRes.ok());
        assertEquals("Error-service-denied", readRes.requestStatusCode());

        var report = new Mm4Pdu.DeliveryReport(null, "R-1", "01ABC-0", "+4690000002/TYPE=PLMN@mms.b.test", "+4790000001/TYPE=PLMN@mms.a.test",
                Instant.parse("2024-01-02T10:05:00Z"), true, true, "Retrieved", null, null, "system-user@mms.b.test", null, null);
        var readReport = assertInstanceOf(Mm4Pdu.DeliveryReport.class, codec.decode(codec.encodeDeliveryReport(report)));
        assertEquals("01ABC-0", readReport.messageId());
        assertEquals("Retrieved", readReport.mmStatusCode());
        assertEquals(report.from(), readReport.from());
        assertEquals(report.date(), readReport.date());
    }

    @Test
    void operatorSpellingsAreUnderstood() throws Exception {
        String mail = """
                From: +4690000002/TYPE=PLMN
                To: +4790000001/TYPE=PLMN
                X-MMS-MESSAGE-TYPE: MM4_Read_reply_report.REQ
                X-Mms-Transaction-Id: 77
                X-Mms-Message-Id: "M1"
                X-Mms-MM-Read-Status: Deletedwithoutbeingread

                """;
        var read = assertInstanceOf(Mm4Pdu.ReadReplyReport.class, codec.decode(mail.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("77", read.transactionId());
        assertEquals("M1", read.messageId());
        assertEquals("Deletedwithoutbeingread", read.readStatus());
    }

    @Test
    void badInputIsOneTypedError() {
        for (String mail : List.of(
                "Subject: no mm4 headers\n\nhello\n",
                "X-Mms-Message-Type: MM4_teleport.REQ\nX-Mms-Transaction-ID: 1\n\n",
                "X-Mms-Message-Type: MM4_forward.REQ\n\n",
                "X-Mms-Message-Type: MM4_forward.REQ\nX-Mms-Transaction-ID: 1\nX-Mms-Forward-Counter: many\n\n",
                "X-Mms-Message-Type: MM4_forward.REQ\nX-Mms-Transaction-ID: 1\nX-Mms-Expiry: soon\n\n",
                "X-Mms-Message-Type: MM4_delivery_report.REQ\nX-Mms-Transaction-ID: 1\nX-Mms-Message-ID: 2\n\n",
                "\u0000\u0001\u0002")) {
            assertThrows(Mm4DecodeException.class, () -> codec.decode(mail.getBytes(StandardCharsets.ISO_8859_1)), mail);
        }
    }

    @Test
    void aSubjectWithALineBreakCannotInjectHeaders() {
        Mm4Pdu.ForwardRequest s = sampleForward();
        var evil = new Mm4Pdu.ForwardRequest(s.version(), s.transactionId(), s.messageId(), s.from(), s.to(), s.cc(), "hi\r\nBcc: x@evil.test",
                s.date(), s.sender(), s.ackRequested(), s.originatorSystem(), s.messageClass(), s.priority(), s.expiry(), s.deliveryReport(),
                s.originatorRsDeliveryReport(), s.senderHidden(), s.readReply(), s.forwardCounter(), s.previouslySentBy(),
                s.previouslySentDateAndTime(), s.vaspId(), s.vasId(), s.serviceCode(), s.chargedPartyId(), s.linkedId(), s.adaptationAllowed(),
                s.contentClass(), s.drmContent(), s.applicId(), s.replyApplicId(), s.auxApplicInfo(), s.rfcMessageId(), 0, s.contentType(), s.parts(), null);
        // Non-ASCII or control characters are RFC 2047-encoded, so the break travels inside an encoded word.
        try {
            String text = new String(codec.encodeForward(evil), StandardCharsets.US_ASCII);
            assertFalse(text.contains("\r\nBcc:"), text);
        } catch (Mm4DecodeException | IllegalArgumentException refused) {
            // refusing outright is just as good
        }
    }
}

package org.openmmsc.mm3.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 3464 DSNs as real MTAs write them, read through Mime4j. */
class DeliveryStatusTest {
    private final MimeCodec mime = new MimeCodec();

    static String postfixDsn(String returnPath, String recipient) throws IOException {
        try (InputStream in = DeliveryStatusTest.class.getResourceAsStream("postfix-dsn.eml")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("${RETURN_PATH}", returnPath).replace("${RECIPIENT}", recipient)
                    .replace("\r\n", "\n").replace("\n", "\r\n");
        }
    }

    @Test
    void aPostfixBounceNamesTheFailedRecipientItsStatusAndDiagnostic() throws Exception {
        MailMessage mail = mime.parse(postfixDsn("bounce+X@mms.a.test", "ola@example.com").getBytes(StandardCharsets.US_ASCII));
        assertTrue(DeliveryStatus.isReport(mail));
        DeliveryStatus dsn = DeliveryStatus.parse(mail);
        assertEquals("mx.example.com", dsn.reportingMta());
        assertEquals(null, dsn.envelopeId());
        assertEquals(1, dsn.recipients().size());
        DeliveryStatus.Recipient r = dsn.recipients().getFirst();
        assertEquals("ola@example.com", r.finalRecipient());
        assertEquals("ola@example.com", r.originalRecipient());
        assertTrue(r.failed());
        assertEquals("5.1.1", r.status());
        assertEquals("smtp; 550 5.1.1 <ola@example.com>: Recipient address rejected: User unknown in virtual mailbox table", r.diagnosticCode(),
                "the folded field is unfolded");
        assertTrue(r.names("Ola@EXAMPLE.com"));
        assertFalse(r.names("kari@example.com"));
    }

    @Test
    void severalRecipientsAnEnvelopeIdCommentsAndBareLineEndsAreRead() throws Exception {
        String mail = """
                From: MAILER-DAEMON@mx.example.org
                To: bounce+X@mms.a.test
                Subject: Delivery Status Notification (Delay)
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type="delivery-status"; boundary=b

                --b
                Content-Type: text/plain

                Still trying.
                --b
                Content-Type: message/delivery-status

                Original-Envelope-Id: 01ABC.0
                Reporting-MTA: dns;mx.example.org

                Final-Recipient: rfc822;kari@example.org
                Action: delayed
                Status: 4.4.1 (no answer from host)
                Will-Retry-Until: Mon, 30 Nov 2026 15:00:00 +0000

                Final-Recipient: RFC822; <per@example.org>
                Action: Failed
                Status: 5.4.7

                --b--
                """;
        DeliveryStatus dsn = DeliveryStatus.parse(mime.parse(mail.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("01ABC.0", dsn.envelopeId());
        assertEquals(2, dsn.recipients().size());
        assertEquals("delayed", dsn.recipients().get(0).action());
        assertEquals("4.4.1", dsn.recipients().get(0).status());
        assertFalse(dsn.recipients().get(0).failed());
        assertEquals("per@example.org", dsn.recipients().get(1).finalRecipient());
        assertTrue(dsn.recipients().get(1).failed());
        assertEquals("5.4.7", dsn.recipients().get(1).status());
    }

    @Test
    void whatIsNotADsnIsOneTypedError() throws Exception {
        MailMessage plain = mime.parse("From: a@b.example\r\nSubject: out of office\r\n\r\nI am away.\r\n".getBytes(StandardCharsets.US_ASCII));
        assertFalse(DeliveryStatus.isReport(plain));
        assertThrows(MimeException.class, () -> DeliveryStatus.parse(plain));
        String noStatusPart = "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n";
        assertThrows(MimeException.class, () -> DeliveryStatus.parse(mime.parse(noStatusPart.getBytes(StandardCharsets.US_ASCII))));
        String badStatus = "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: failed\r\nStatus: bogus\r\n--b--\r\n";
        assertThrows(MimeException.class, () -> DeliveryStatus.parse(mime.parse(badStatus.getBytes(StandardCharsets.US_ASCII))));
        String noRecipient = "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; x\r\n--b--\r\n";
        assertThrows(MimeException.class, () -> DeliveryStatus.parse(mime.parse(noRecipient.getBytes(StandardCharsets.US_ASCII))));
    }
}

package org.openmmsc.mm4.service;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.openmmsc.mm4.codec.Mm4DecodeException;
import org.openmmsc.mm4.codec.Mm4Pdu;

/**
 * Reports for messages that came in over MM4 go back to the peer they came from: an
 * MM4_delivery_report.REQ or MM4_read_reply_report.REQ quoting the peer's own message id, sent to
 * its originator system. Completes once the peer's SMTP server said 250.
 */
public final class Mm4ReportSink implements ReportSink {
    private final String ownDomain;
    private final Mm4Sender sender;
    private final Mm4Codec codec;

    Mm4ReportSink(String ownDomain, Mm4Sender sender, Mm4Codec codec) {
        this.ownDomain = ownDomain;
        this.sender = sender;
        this.codec = codec;
    }

    @Override
    public Interface iface() {
        return Interface.MM4;
    }

    @Override
    public CompletionStage<Void> send(Report report) {
        Message m = report.message();
        String peer = m.origin().authenticatedSender();
        String messageId = m.origin().originatorMessageId();
        if (peer == null || messageId == null) {
            return CompletableFuture.failedFuture(new IOException("message " + m.id() + " has no MM4 peer or peer message id to report to"));
        }
        String to = m.origin().originatorSystem() != null ? m.origin().originatorSystem() : "system-user@" + peer;
        String systemUser = "system-user@" + ownDomain;
        String transactionId = m.id().value() + "." + report.kind().name().charAt(0) + report.recipient().address().value().replaceAll("[^0-9A-Za-z]", "");
        String from = Mm4Addresses.withDomain(report.recipient().address(), ownDomain);
        byte[] mail;
        try {
            mail = switch (report.kind()) {
                case DELIVERY -> codec.encodeDeliveryReport(new Mm4Pdu.DeliveryReport(null, transactionId, messageId, from,
                        m.originator().toMms(), report.at(), false, true, mmStatus(report.status()), null, null, systemUser, null, null));
                case READ -> codec.encodeReadReply(new Mm4Pdu.ReadReplyReport(null, transactionId, messageId, from, m.originator().toMms(),
                        report.at(), false, report.status() == Report.Status.READ ? "Read" : "Deleted without being read", null, systemUser));
            };
        } catch (Mm4DecodeException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sender.send(peer, systemUser, to, mail).thenCompose(result -> result.accepted()
                ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(new IOException("peer " + peer + " refused the report: " + result.reply().line())));
    }

    /** Report status → X-Mms-MM-Status-Code (the MM1 X-Mms-Status names, as Mbuni copies them). */
    static String mmStatus(Report.Status status) {
        return switch (status) {
            case RETRIEVED -> "Retrieved";
            case EXPIRED -> "Expired";
            case REJECTED -> "Rejected";
            case DEFERRED -> "Deferred";
            case FORWARDED -> "Forwarded";
            case UNREACHABLE -> "Unreachable";
            case INDETERMINATE, READ, DELETED_WITHOUT_READ -> "Indeterminate";
        };
    }
}

package org.openmmsc.mm1.push;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.mm1.codec.EncodedString;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.service.Mm1Service;
import org.openmmsc.mm1.service.MmsStatus;

/**
 * Reports to a sender who submitted over MM1, in the MMS version the sender's phone used for the
 * message: m-delivery-ind and m-read-orig-ind pushed to its number by the same path as notifications
 * to that number (a PPG, or an SMSC), with statuses its version does not have mapped to ones it does;
 * a read report to an MMS 1.0 phone (which has no m-read-orig-ind) goes as an ordinary message.
 * Completes when the PPG or SMSC accepted the push or the read-report message is stored; otherwise
 * the stage fails and the relay queues the report for another try.
 */
public final class PapReportSink implements ReportSink {
    /** Version used when the sender's is unknown (messages stored before it was kept, or not from MM1). */
    static final HeaderValue.Version DEFAULT_VERSION = new HeaderValue.Version(1, 2);

    private final WapPushPath pusher;
    private final Mm1Service service;
    private final MmsEncoder encoder = new MmsEncoder();

    public PapReportSink(WapPushPath pusher, Mm1Service service) {
        this.pusher = pusher;
        this.service = service;
    }

    @Override
    public Interface iface() {
        return Interface.MM1;
    }

    @Override
    public CompletionStage<Void> send(Report report) {
        Address sender = report.message().originator();
        if (sender.type() != Address.Type.PLMN) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot push a report to " + sender));
        }
        HeaderValue.Version version = senderVersion(report.message().origin().interfaceVersion());
        if (report.kind() == Report.Kind.READ && version.minor() == 0) {
            // MMS 1.0 has no read-report PDU: the report is a message of its own (class Auto) to the sender.
            return service.sendReadReportMessage(report);
        }
        byte[] pdu = encoder.encode(pdu(report, version));
        String pushId = report.message().id().value() + ".r" + Math.abs(report.recipient().address().value().hashCode() % 100000)
                + "." + report.status().ordinal();
        return pusher.push(pushId, sender, pdu).thenCompose(outcome -> outcome instanceof Outcome.Notified
                ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(new IllegalStateException("report push not accepted: " + outcome)));
    }

    /**
     * The version to answer a sender in: the one it sent the message with, as far as this MMSC speaks
     * it (1.0 … 1.3); a later 1.x gets 1.3, an unknown or unreadable one 1.2.
     */
    static HeaderValue.Version senderVersion(String recorded) {
        if (recorded == null) return DEFAULT_VERSION;
        String[] parts = recorded.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            if (major != 1 || minor < 0) return DEFAULT_VERSION;
            return new HeaderValue.Version(1, Math.min(minor, 3));
        } catch (NumberFormatException e) {
            return DEFAULT_VERSION;
        }
    }

    static MmsPdu pdu(Report report, HeaderValue.Version version) {
        MmsHeaders.Builder h = MmsHeaders.builder()
                .version(version.major(), version.minor())
                .text(MmsField.MESSAGE_ID, report.message().id().value())
                .encoded(MmsField.TO, report.recipient().address().toMms());
        if (report.kind() == Report.Kind.READ) {
            h.add(MmsField.FROM, new HeaderValue.From(EncodedString.of(report.recipient().address().toMms())))
                    .add(MmsField.DATE, new HeaderValue.Date(report.at().getEpochSecond()))
                    .token(MmsField.READ_STATUS, report.status() == Report.Status.READ ? 0x80 : 0x81);
            return new MmsPdu.ReadOrigInd(h.build(), null);
        }
        h.add(MmsField.DATE, new HeaderValue.Date(report.at().getEpochSecond())).token(MmsField.STATUS, status(report.status(), version));
        return new MmsPdu.DeliveryInd(h.build(), null);
    }

    /**
     * X-Mms-Status for a sender of this version. Indeterminate and Forwarded exist from 1.1,
     * Unreachable from 1.2 (OMA MMS ENC); older phones get the nearest value they know:
     * Unreachable → Rejected (not delivered, final), Forwarded → Retrieved (the recipient took the
     * message and acted on it), Indeterminate → Unrecognised (the outcome cannot be stated).
     */
    static int status(Report.Status status, HeaderValue.Version version) {
        int minor = version.major() > 1 ? 3 : version.minor();
        return switch (status) {
            case EXPIRED -> MmsStatus.STATUS_EXPIRED;
            case RETRIEVED, READ, DELETED_WITHOUT_READ -> MmsStatus.STATUS_RETRIEVED;
            case REJECTED -> MmsStatus.STATUS_REJECTED;
            case DEFERRED -> MmsStatus.STATUS_DEFERRED;
            case INDETERMINATE -> minor >= 1 ? MmsStatus.STATUS_INDETERMINATE : MmsStatus.STATUS_UNRECOGNISED;
            case FORWARDED -> minor >= 1 ? MmsStatus.STATUS_FORWARDED : MmsStatus.STATUS_RETRIEVED;
            case UNREACHABLE -> minor >= 2 ? MmsStatus.STATUS_UNREACHABLE : MmsStatus.STATUS_REJECTED;
        };
    }
}

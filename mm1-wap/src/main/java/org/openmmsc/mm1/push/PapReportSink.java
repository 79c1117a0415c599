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
import org.openmmsc.mm1.service.MmsStatus;

/**
 * Reports to a sender who submitted over MM1: m-delivery-ind (and m-read-orig-ind) pushed to the
 * sender's phone by the same path as notifications to that number (a PPG, or an SMSC). Completes when
 * the PPG or SMSC accepted the push; a refused or failed push fails the returned stage (the relay logs and counts it; no retry yet).
 */
public final class PapReportSink implements ReportSink {
    private final WapPushPath pusher;
    private final MmsEncoder encoder = new MmsEncoder();

    public PapReportSink(WapPushPath pusher) {
        this.pusher = pusher;
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
        byte[] pdu = encoder.encode(pdu(report));
        String pushId = report.message().id().value() + ".r" + Math.abs(report.recipient().address().value().hashCode() % 100000)
                + "." + report.status().ordinal();
        return pusher.push(pushId, sender, pdu).thenCompose(outcome -> outcome instanceof Outcome.Notified
                ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(new IllegalStateException("report push not accepted: " + outcome)));
    }

    static MmsPdu pdu(Report report) {
        MmsHeaders.Builder h = MmsHeaders.builder()
                .version(1, 2)
                .text(MmsField.MESSAGE_ID, report.message().id().value())
                .encoded(MmsField.TO, report.recipient().address().toMms());
        if (report.kind() == Report.Kind.READ) {
            h.add(MmsField.FROM, new HeaderValue.From(EncodedString.of(report.recipient().address().toMms())))
                    .add(MmsField.DATE, new HeaderValue.Date(report.at().getEpochSecond()))
                    .token(MmsField.READ_STATUS, report.status() == Report.Status.READ ? 0x80 : 0x81);
            return new MmsPdu.ReadOrigInd(h.build(), null);
        }
        h.add(MmsField.DATE, new HeaderValue.Date(report.at().getEpochSecond())).token(MmsField.STATUS, status(report.status()));
        return new MmsPdu.DeliveryInd(h.build(), null);
    }

    static int status(Report.Status status) {
        return switch (status) {
            case EXPIRED -> MmsStatus.STATUS_EXPIRED;
            case RETRIEVED, READ, DELETED_WITHOUT_READ -> MmsStatus.STATUS_RETRIEVED;
            case REJECTED -> MmsStatus.STATUS_REJECTED;
            case DEFERRED -> MmsStatus.STATUS_DEFERRED;
            case INDETERMINATE -> MmsStatus.STATUS_INDETERMINATE;
            case FORWARDED -> MmsStatus.STATUS_FORWARDED;
            case UNREACHABLE -> MmsStatus.STATUS_UNREACHABLE;
        };
    }
}

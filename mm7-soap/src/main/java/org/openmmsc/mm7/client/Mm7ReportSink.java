package org.openmmsc.mm7.client;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Mm7SoapCodec.Field;

/**
 * Sends delivery reports (DeliveryReportReq) and read replies (ReadReplyReq) to the VASP that
 * submitted the message, with the MessageID it got in SubmitRsp. Completes once the VASP answered
 * with a success status; anything else fails the future (the relay logs it).
 */
public final class Mm7ReportSink implements ReportSink {
    /** The current account by VASP id (accounts can be reloaded while the node runs). */
    private final java.util.function.Function<String, VaspAccount> vasps;
    private final Mm7Client client;
    private final String relayServerId;

    public Mm7ReportSink(List<VaspAccount> vasps, Mm7Client client, String relayServerId) {
        this(vasps.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(VaspAccount::id, v -> v))::get, client, relayServerId);
    }

    public Mm7ReportSink(java.util.function.Function<String, VaspAccount> vasps, Mm7Client client, String relayServerId) {
        this.vasps = vasps;
        this.client = client;
        this.relayServerId = relayServerId;
    }

    @Override
    public Interface iface() {
        return Interface.MM7;
    }

    @Override
    public CompletionStage<Void> send(Report report) {
        String vaspId = report.message().origin().vaspId();
        VaspAccount vasp = vaspId == null ? null : vasps.apply(vaspId);
        if (vasp == null || vasp.deliveryUrl() == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("VASP " + vaspId + " has no deliveryUrl for MM7 reports"));
        }
        boolean read = report.kind() == Report.Kind.READ;
        String at = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(report.at().atOffset(ZoneOffset.UTC));
        List<Field> fields = new ArrayList<>();
        fields.add(Field.text("MM7Version", vasp.mm7Version()));
        fields.add(Field.text("MMSRelayServerID", relayServerId));
        fields.add(Field.text("MessageID", report.message().id().value()));
        fields.add(Mm7Client.address("Recipient", report.recipient().address()));
        fields.add(Mm7Client.address("Sender", report.message().originator()));
        fields.add(Field.text(read ? "TimeStamp" : "Date", at));
        fields.add(Field.text("MMStatus", mmStatus(report.status())));
        if (!report.detail().isEmpty()) fields.add(Field.text("StatusText", report.detail()));
        String operation = read ? "ReadReplyReq" : "DeliveryReportReq";
        String tid = report.message().id().value() + "-" + report.message().recipients().indexOf(report.recipient()) + (read ? "-rr" : "-dr");
        return client.send(vasp, tid, operation, fields, null).thenCompose(answer -> answer.success()
                ? CompletableFuture.<Void>completedFuture(null)
                : CompletableFuture.<Void>failedFuture(new IllegalStateException(operation + " refused by VASP " + vasp.id() + ": " + answer.text())));
    }

    /** MM7 MMStatus values (REL-6-MM7-1-4): delivery Expired/Retrieved/Rejected/Indeterminate/Forwarded/Deferred; read Read/Deleted. */
    static String mmStatus(Report.Status status) {
        return switch (status) {
            case RETRIEVED -> "Retrieved";
            case EXPIRED -> "Expired";
            case REJECTED -> "Rejected";
            case DEFERRED -> "Deferred";
            case FORWARDED -> "Forwarded";
            case UNREACHABLE, INDETERMINATE -> "Indeterminate";
            case READ -> "Read";
            case DELETED_WITHOUT_READ -> "Deleted";
        };
    }
}

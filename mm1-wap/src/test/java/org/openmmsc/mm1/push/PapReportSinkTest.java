package org.openmmsc.mm1.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.testing.SampleMessages;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.service.MmsStatus;

/** Reports are encoded in the sender's MMS version, with statuses that version has. */
class PapReportSinkTest {
    private static final HeaderValue.Version V10 = new HeaderValue.Version(1, 0);
    private static final HeaderValue.Version V11 = new HeaderValue.Version(1, 1);
    private static final HeaderValue.Version V12 = new HeaderValue.Version(1, 2);
    private static final HeaderValue.Version V13 = new HeaderValue.Version(1, 3);

    @Test
    void theSendersVersionIsUsedUpTo13() {
        assertEquals(V10, PapReportSink.senderVersion("1.0"));
        assertEquals(V11, PapReportSink.senderVersion("1.1"));
        assertEquals(V13, PapReportSink.senderVersion("1.3"));
        assertEquals(V13, PapReportSink.senderVersion("1.5"), "a later 1.x gets what we speak");
        assertEquals(V10, PapReportSink.senderVersion("1"), "no minor");
        assertEquals(V12, PapReportSink.senderVersion(null), "unknown: as before");
        assertEquals(V12, PapReportSink.senderVersion("2.0"));
        assertEquals(V12, PapReportSink.senderVersion("x"));
    }

    @Test
    void statusesALaterVersionIntroducedAreMappedForOlderSenders() {
        // Unreachable exists from 1.2, Indeterminate and Forwarded from 1.1.
        assertEquals(MmsStatus.STATUS_UNREACHABLE, PapReportSink.status(Report.Status.UNREACHABLE, V12));
        assertEquals(MmsStatus.STATUS_REJECTED, PapReportSink.status(Report.Status.UNREACHABLE, V11));
        assertEquals(MmsStatus.STATUS_REJECTED, PapReportSink.status(Report.Status.UNREACHABLE, V10));
        assertEquals(MmsStatus.STATUS_INDETERMINATE, PapReportSink.status(Report.Status.INDETERMINATE, V11));
        assertEquals(MmsStatus.STATUS_UNRECOGNISED, PapReportSink.status(Report.Status.INDETERMINATE, V10));
        assertEquals(MmsStatus.STATUS_FORWARDED, PapReportSink.status(Report.Status.FORWARDED, V11));
        assertEquals(MmsStatus.STATUS_RETRIEVED, PapReportSink.status(Report.Status.FORWARDED, V10));
        for (Report.Status s : new Report.Status[] {Report.Status.EXPIRED, Report.Status.RETRIEVED, Report.Status.REJECTED, Report.Status.DEFERRED}) {
            assertEquals(PapReportSink.status(s, V13), PapReportSink.status(s, V10), s + " exists since 1.0");
        }
    }

    @Test
    void anMms10DeliveryIndCarriesVersion10AndDecodes() throws Exception {
        Message m = SampleMessages.withDeliveryReport(java.time.Clock.systemUTC(), "+4790000002/TYPE=PLMN");
        Message from10 = new Message(m.id(), Address.plmn("+4790000001"), m.recipients(), m.subject(), m.messageClass(), m.priority(),
                m.date(), null, null, true, false, false, null, m.contentType(), m.parts(),
                Origin.of(Interface.MM1, "+4790000001", "t").withInterfaceVersion("1.0"));
        Recipient bob = m.recipients().getFirst();
        Report report = new Report(Report.Kind.DELIVERY, from10, bob, Report.Status.UNREACHABLE, Instant.parse("2026-11-28T12:00:00Z"), "x");
        byte[] wire = new MmsEncoder().encode(PapReportSink.pdu(report, PapReportSink.senderVersion(from10.origin().interfaceVersion())));
        MmsPdu.DeliveryInd ind = assertInstanceOf(MmsPdu.DeliveryInd.class, new MmsDecoder().decode(wire));
        assertEquals(V10, ind.version());
        assertEquals(MmsStatus.STATUS_REJECTED, ind.headers().token(MmsField.STATUS));
        assertEquals(0x90, wire[3] & 0xFF, "X-Mms-MMS-Version octet 1.0");
    }
}

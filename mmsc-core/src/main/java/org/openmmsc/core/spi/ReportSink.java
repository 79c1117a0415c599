package org.openmmsc.core.spi;

import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Interface;

/**
 * Sends reports back over the interface a message came by (m-delivery-ind over MM1,
 * MM4_delivery_report.REQ, MM7 DeliveryReportReq). A sink completes only once the report is
 * durable on its side (queued in the store as its own delivery, or sent and acknowledged).
 */
public interface ReportSink {

    Interface iface();

    CompletionStage<Void> send(Report report);
}

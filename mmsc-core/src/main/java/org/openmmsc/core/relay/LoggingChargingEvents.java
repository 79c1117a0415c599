package org.openmmsc.core.relay;

import org.openmmsc.core.spi.ChargingEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Charging events as log lines on the "charging" logger, until the billing module writes CDRs. */
public final class LoggingChargingEvents implements ChargingEvents {
    private static final Logger log = LoggerFactory.getLogger("org.openmmsc.charging");

    @Override
    public void record(ChargingEvent e) {
        try (var ignored = MDC.putCloseable("messageId", e.messageId().value())) {
            log.info("charging {} origin={} from={} to={} route={} size={} at={} payer={} {}", e.type(), e.origin(), e.originator(),
                    e.recipient(), e.route(), e.contentSize(), e.at(), e.chargedParty() == null ? "unstated" : e.chargedParty(), e.detail());
        }
    }
}

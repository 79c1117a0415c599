package org.openmmsc.core.spi;

/**
 * The running part of one interface module (MM1, MM7, MM3/MM4 listeners and clients) as the node
 * sees it, so shutdown can stop them in order: first every listener stops accepting, then the
 * scheduler stops, then each interface closes.
 */
public interface InterfaceRuntime extends AutoCloseable {

    /** For logs: "MM1 http://127.0.0.1:8191/", … */
    String describe();

    /** Stop taking new connections or requests; work under way may finish. */
    void stopAccepting();

    /** Release everything; waits briefly for work under way. */
    @Override
    void close();
}

package org.callrouter.server.sipua;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip-ri's message trace, forwarded to SLF4J at DEBUG under {@code org.callrouter.server.sipua.wire}.
 *
 * <p>The stack calls it only while {@code gov.nist.javax.sip} is at INFO or finer (its
 * {@code TRACE_MESSAGES} level), so a full wire trace of a test needs both loggers turned up.
 * One instance per stack, so each line names the user agent's stack.
 */
public final class Slf4jServerLogger implements ServerLogger {
    private static final Logger LOG = LoggerFactory.getLogger("org.callrouter.server.sipua.wire");

    private volatile String stackName = "?";

    /** Instantiated by the stack through {@code gov.nist.javax.sip.SERVER_LOGGER}. */
    public Slf4jServerLogger() {
    }

    @Override
    public void closeLogFile() {
        // Nothing is opened: SLF4J owns the output.
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        logMessage(message, from, to, null, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        logMessage(message, from, to, status, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} -> {}{}\n{}", stackName, sender ? "sent" : "received", from, to,
                    status == null ? "" : " (" + status + ")", message.encode());
        }
    }

    @Override
    public void logException(Exception ex) {
        LOG.warn("{}: exception while tracing a message", stackName, ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        stackName = stackProperties.getProperty("javax.sip.STACK_NAME", stackName);
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        stackName = sipStack.getStackName();
    }
}

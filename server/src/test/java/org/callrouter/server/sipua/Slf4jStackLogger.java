package org.callrouter.server.sipua;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * jain-sip-ri's stack logger, forwarded to SLF4J under the logger {@code gov.nist.javax.sip}.
 *
 * <p>Without it the stack falls back to log4j 1.2, which this project bans. jain-sip keeps one
 * stack logger for the whole JVM (a static it overwrites on every new stack), so this class holds
 * no per-stack state. Levels come from the SLF4J configuration: the stack's {@code TRACE_LEVEL},
 * {@code enableLogging} and {@code disableLogging} are ignored.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");

    /** Instantiated by the stack through {@code gov.nist.javax.sip.STACK_LOGGER}. */
    public Slf4jStackLogger() {
    }

    @Override
    public void logStackTrace() {
        logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int traceLevel) {
        if (isLoggingEnabled(traceLevel)) {
            LOG.atLevel(level(traceLevel)).setCause(new Throwable("stack trace requested by jain-sip")).log("stack trace");
        }
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.error("jain-sip exception", ex);
    }

    @Override
    public void logDebug(String message) {
        LOG.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(message);
    }

    @Override
    public void logError(String message) {
        LOG.error(message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isErrorEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return LOG.isEnabledForLevel(level(logLevel));
    }

    @Override
    public void logError(String message, Exception ex) {
        LOG.error(message, ex);
    }

    @Override
    public void logWarning(String message) {
        LOG.warn(message);
    }

    @Override
    public void logInfo(String message) {
        LOG.info(message);
    }

    @Override
    public void disableLogging() {
        // Levels are the SLF4J configuration's business.
    }

    @Override
    public void enableLogging() {
        // Levels are the SLF4J configuration's business.
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("jain-sip-ri build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Nothing to configure: see the class comment.
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }

    /** jain-sip's levels are bit values (TRACE_FATAL=2 … TRACE_TRACE=64); TRACE_MESSAGES is INFO. */
    private static Level level(int traceLevel) {
        if (traceLevel <= TRACE_ERROR) {
            return Level.ERROR;
        } else if (traceLevel <= TRACE_WARN) {
            return Level.WARN;
        } else if (traceLevel <= TRACE_INFO) {
            return Level.INFO;
        } else if (traceLevel <= TRACE_DEBUG) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }
}

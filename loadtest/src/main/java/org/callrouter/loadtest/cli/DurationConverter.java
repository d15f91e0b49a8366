package org.callrouter.loadtest.cli;

import org.callrouter.loadtest.plan.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter: a duration ({@code 500ms}, {@code 10s}, {@code 5m}) to nanoseconds. */
final class DurationConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return Durations.parseNs(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

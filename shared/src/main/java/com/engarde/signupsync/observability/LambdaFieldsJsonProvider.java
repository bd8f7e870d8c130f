package com.engarde.signupsync.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractJsonProvider;

import java.io.IOException;
import java.util.Map;

/**
 * Writes the invocation's fields ({@link LogContext}) on every line, whether or not an invocation is under way:
 * service, function_name, cold_start (a boolean), function_request_id and correlation_id (null outside one).
 */
public class LambdaFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        Map<String, String> mdc = event.getMDCPropertyMap();
        generator.writeStringField("service", LogContext.SERVICE);
        String function = mdc.get(LogContext.FUNCTION_NAME);
        generator.writeStringField(LogContext.FUNCTION_NAME, function != null ? function : LogContext.functionName());
        String cold = mdc.get(LogContext.COLD_START);
        generator.writeFieldName(LogContext.COLD_START);
        if (cold == null) {
            generator.writeNull();
        } else {
            generator.writeBoolean(Boolean.parseBoolean(cold));
        }
        generator.writeStringField(LogContext.REQUEST_ID, mdc.get(LogContext.REQUEST_ID));
        generator.writeStringField(LogContext.CORRELATION_ID, mdc.get(LogContext.CORRELATION_ID));
    }
}

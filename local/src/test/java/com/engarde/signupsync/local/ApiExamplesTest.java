package com.engarde.signupsync.local;

import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example in the API document validates against its own schema: the examples of parameters, request
 * bodies and answers, and those of schema properties. A reader copies examples; one the service would refuse
 * (or one that contradicts its schema) misleads.
 */
class ApiExamplesTest {

    private static final SchemaValidator SCHEMAS = new SchemaValidator(DocumentedExchanges.api(), new MessageResolver());

    @Test
    void everyExampleMatchesItsSchema() throws JsonProcessingException {
        List<String> violations = new ArrayList<>();
        int examples = 0;
        for (Map.Entry<String, PathItem> path : DocumentedExchanges.api().getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                String where = op.getKey() + " " + path.getKey();
                Operation operation = op.getValue();
                if (operation.getParameters() != null) {
                    for (Parameter parameter : operation.getParameters()) {
                        if (parameter.getExample() != null) {
                            examples++;
                            check(parameterValue(parameter.getExample(), parameter.getSchema()), parameter.getSchema(),
                                    where + " parameter " + parameter.getName(), violations);
                        }
                        if (parameter.getSchema() != null && parameter.getSchema().getExample() != null) {
                            examples++;
                            check(parameterValue(parameter.getSchema().getExample(), parameter.getSchema()),
                                    parameter.getSchema(), where + " parameter " + parameter.getName() + " schema", violations);
                        }
                    }
                }
                if (operation.getRequestBody() != null) {
                    examples += content(operation.getRequestBody().getContent(), where + " request", violations);
                }
                if (operation.getResponses() != null) {
                    for (var response : operation.getResponses().entrySet()) {
                        examples += content(response.getValue().getContent(), where + " " + response.getKey(), violations);
                    }
                }
            }
        }
        for (Map.Entry<String, Schema> schema : DocumentedExchanges.api().getComponents().getSchemas().entrySet()) {
            Map<String, Schema> properties = schema.getValue().getProperties();
            if (properties == null) {
                continue;
            }
            for (Map.Entry<String, Schema> property : properties.entrySet()) {
                if (property.getValue().getExample() != null) {
                    examples++;
                    check(Json.mapper().writeValueAsString(property.getValue().getExample()), property.getValue(),
                            "schema " + schema.getKey() + "." + property.getKey(), violations);
                }
            }
        }
        assertThat(examples).as("examples in the document").isGreaterThan(20);
        assertThat(violations).as(violations.size() + " of " + examples + " examples break their schema").isEmpty();
    }

    private static int content(Content content, String where, List<String> violations) throws JsonProcessingException {
        if (content == null) {
            return 0;
        }
        int examples = 0;
        for (Map.Entry<String, MediaType> media : content.entrySet()) {
            Schema<?> schema = media.getValue().getSchema();
            if (!media.getKey().contains("json") || schema == null) {
                continue;
            }
            if (media.getValue().getExample() != null) {
                examples++;
                check(Json.mapper().writeValueAsString(media.getValue().getExample()), schema, where, violations);
            }
            if (media.getValue().getExamples() != null) {
                for (Map.Entry<String, Example> example : media.getValue().getExamples().entrySet()) {
                    examples++;
                    check(Json.mapper().writeValueAsString(example.getValue().getValue()), schema,
                            where + " example '" + example.getKey() + "'", violations);
                }
            }
        }
        return examples;
    }

    /** A parameter's example is the text a client sends (the validator reads it as its schema's type). */
    private static String parameterValue(Object example, Schema<?> schema) {
        return String.valueOf(example);
    }

    private static void check(String json, Schema<?> schema, String where, List<String> violations) {
        ValidationReport report = SCHEMAS.validate(json, schema, "example");
        report.getMessages().forEach(m -> violations.add(where + ": " + m.getMessage() + " in " + json));
    }
}

package io.clusterplatform.provisioner.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.clusterplatform.provisioner.server.storage.StorableText;
import java.io.IOException;
import java.time.Clock;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommonBeans {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The one JSON configuration of every endpoint. Unknown fields are refused (a typo must not be
     * silently ignored), so is a fraction where a whole number belongs ({@code "exitCode": 1.5} is
     * not 1), and every string goes through the one text rule ({@link StorableText#requireField}: no
     * NUL, one line unless it is a script, a key or output). A trailing comma is accepted because
     * the original API's own "Create Globalnode" request has one.
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictButForgivingJson() {
        return builder -> builder.featuresToEnable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        JsonReadFeature.ALLOW_TRAILING_COMMA.mappedFeature())
                .featuresToDisable(
                        com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS,
                        DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .postConfigurer(mapper -> {
                    // "text": 5 is a mistake, not the string "5".
                    var textual = mapper.coercionConfigFor(LogicalType.Textual);
                    textual.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                    textual.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                    textual.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                    mapper.coercionConfigFor(LogicalType.Integer)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                });
    }

    /** The text rule for every string read from JSON (Spring Boot registers each Module bean). */
    @Bean
    SimpleModule textRule() {
        SimpleModule text = new SimpleModule("text-rule");
        text.addDeserializer(String.class, new RuledStrings());
        return text;
    }

    /** Strings of JSON bodies, each checked by the text rule for the field it is the value of. */
    static final class RuledStrings extends StdScalarDeserializer<String> {
        private final StringDeserializer plain = StringDeserializer.instance;

        RuledStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = plain.deserialize(parser, context);
            String field = parser.currentName();
            if (field == null && parser.getParsingContext().getParent() != null) {
                field = parser.getParsingContext().getParent().getCurrentName(); // an element of an array
            }
            return StorableText.requireField(field, value);
        }
    }
}

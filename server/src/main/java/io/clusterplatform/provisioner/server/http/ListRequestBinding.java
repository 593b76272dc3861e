package io.clusterplatform.provisioner.server.http;

import io.clusterplatform.provisioner.server.storage.ListRequest;
import java.util.List;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Binds a {@link ListRequest} argument from the query parameters of the same names, each converted
 * as an optional {@code @RequestParam} of its type would be. A value that does not convert is the
 * same {@link MethodArgumentTypeMismatchException}, so the answer stays the same 400 ({@code 'page'
 * must be a whole number, got 'two'}); a data-bound record would answer a binding error instead.
 * The OpenAPI document learns the parameters from {@code @ParameterObject} on the argument.
 */
@Configuration
class ListRequestBinding implements WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new Resolver());
    }

    private static final class Resolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == ListRequest.class;
        }

        @Override
        public ListRequest resolveArgument(
                MethodParameter parameter,
                ModelAndViewContainer container,
                NativeWebRequest request,
                WebDataBinderFactory binders)
                throws Exception {
            return new ListRequest(
                    value("search", String.class, parameter, request, binders),
                    value("searchFields", String.class, parameter, request, binders),
                    value("page", Integer.class, parameter, request, binders),
                    value("pageSize", Integer.class, parameter, request, binders),
                    value("sort", String.class, parameter, request, binders));
        }

        /** As Spring's {@code @RequestParam} resolver does: one value as itself, several as an array. */
        private static <T> T value(
                String name,
                Class<T> type,
                MethodParameter parameter,
                NativeWebRequest request,
                WebDataBinderFactory binders)
                throws Exception {
            String[] values = request.getParameterValues(name);
            if (values == null) {
                return null;
            }
            Object raw = values.length == 1 ? values[0] : values;
            WebDataBinder binder = binders.createBinder(request, null, name);
            try {
                return binder.convertIfNecessary(raw, type);
            } catch (TypeMismatchException e) {
                throw new MethodArgumentTypeMismatchException(raw, type, name, parameter, e.getCause());
            }
        }
    }
}

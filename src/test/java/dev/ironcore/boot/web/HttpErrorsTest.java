package dev.ironcore.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.index.AmbiguousBootConfigException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HttpErrorsTest {
  static Object[][] errors() {
    return new Object[][] {
        {new ServiceUnavailableException("iPXE is disabled"), 503, "iPXE is disabled\n"},
        {new BadRequestException("Bad Request: UUID is required"), 400, "Bad Request: UUID is required\n"},
        {new UnprocessableConfigException("Butane translation failed"), 422, "Butane translation failed\n"},
        {new AmbiguousBootConfigException("all 2 matching boot configs are orphans"), 409,
            "all 2 matching boot configs are orphans\n"},
        {new IllegalStateException("secret-value leaked\n\tat x"), 500, "Internal Server Error\n"},
        {new NotFoundException("two\nlines"), 404, "two lines\n"}};
  }

  @ParameterizedTest
  @MethodSource("errors")
  void mapsEachFailureToItsStatusAndOneLine(Exception error, int status, String body) {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, error);

    new HttpErrors().respond(exchange);

    assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(status);
    assertThat(new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8)).isEqualTo(body);
  }
}

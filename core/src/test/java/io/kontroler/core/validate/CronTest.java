package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "*/5 * * * * | 0 */5 * * * ?",
        "0 2 * * * | 0 0 2 * * ?",
        "30 9 * * 1-5 | 0 30 9 ? * 2-6",
        "0 0 1 JAN * | 0 0 0 1 JAN ?",
        "@hourly | 0 0 * * * ?",
        "* * * * * * | * * * * * ?",
        "0 12 * * SUN,0 | 0 0 12 ? * SUN,1",
      })
  void convertsStandardCronToQuartz(String cron, String quartz) {
    assertThat(Cron.problems(cron)).isEmpty();
    assertThat(Cron.toQuartz(cron)).isEqualTo(quartz);
  }

  @Test
  void namesTheOffendingField() {
    assertThat(Cron.problems("0 24 * * *"))
        .containsExactly("hour field '24': 24 is out of range 0-23");
    assertThat(Cron.problems("0 0 0 * *"))
        .containsExactly("day-of-month field '0': 0 is out of range 1-31");
    assertThat(Cron.problems("0 0 * FOO *"))
        .containsExactly("month field 'FOO': 'FOO' is not a number or a name like APR");
    assertThat(Cron.problems("*/0 * * * *"))
        .containsExactly("minute field '*/0': step '0' is not a positive number");
    assertThat(Cron.problems("* * *")).singleElement().asString().startsWith("expected 5 fields");
  }
}

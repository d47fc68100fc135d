using Fleet.Controller.Persistence;

namespace Fleet.Controller.Tests.Persistence;

public sealed class MigrationTests
{
    [Fact]
    public void Order_Unsorted_SortedByVersionNotName()
    {
        var ordered = Migration.Order([("0010_later.sql", "b"), ("0002_zeta.sql", "a"), ("0009_alpha.sql", "c")]);

        Assert.Equal([2, 9, 10], ordered.Select(m => m.Version));
        Assert.Equal("zeta", ordered[0].Name);
    }

    [Fact]
    public void Order_DuplicateVersion_RefusedNamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Migration.Order([("0003_a.sql", ""), ("0003_b.sql", "")]));

        Assert.Contains("0003", error.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_Upper.sql")]
    [InlineData("0001_x.txt")]
    public void Order_MalformedName_Refused(string fileName) =>
        Assert.Throws<InvalidOperationException>(() => Migration.Order([(fileName, "")]));

    [Fact]
    public void Embedded_ShippedMigrations_StartAtOneWithoutGaps()
    {
        var migrations = Migration.Embedded();

        Assert.NotEmpty(migrations);
        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
        Assert.Contains("create table agents", migrations[0].Sql, StringComparison.Ordinal);
    }
}

using Npgsql;
using Orbyt.Core.Data;

namespace Orbyt.Tests.Data;

public sealed class PoolDefaultsTests
{
    [Fact]
    public void Statements_are_prepared_and_connections_not_reset_unless_the_connection_string_says_otherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Username=u;Password=p;Database=orbyt"));
        var explicitly = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Username=u;NoResetOnClose=false;Max Auto Prepare=0"));

        Assert.True(defaults.NoResetOnClose);
        Assert.Equal(64, defaults.MaxAutoPrepare);
        Assert.Equal("p", defaults.Password);
        Assert.False(explicitly.NoResetOnClose);
        Assert.Equal(0, explicitly.MaxAutoPrepare);
        Assert.Null(DataExtensions.WithPoolDefaults(null));
    }
}

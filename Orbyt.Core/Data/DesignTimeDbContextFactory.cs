using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Orbyt.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<OrbytDbContext>
{
    public OrbytDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OrbytDbContext>()
            .UseNpgsql("Host=localhost;Database=orbyt_design")
            .UseSnakeCaseNamingConvention()
            .Options);
}

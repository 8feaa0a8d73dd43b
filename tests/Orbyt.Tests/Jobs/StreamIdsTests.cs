using Orbyt.Core.Jobs;

namespace Orbyt.Tests.Jobs;

public sealed class StreamIdsTests
{
    [Theory]
    [InlineData("1764000000000-0", "1764000000000-1")]
    [InlineData("1764000000000-41", "1764000000000-42")]
    [InlineData("1764000000000-18446744073709551615", "1764000000001-0")]
    [InlineData("1764000000000", "1764000000000-1")]
    public void The_next_id_is_the_smallest_after_it(string id, string next) => Assert.Equal(next, StreamIds.Next(id));
}

using Microsoft.Extensions.Options;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Tests.Uploader;

public sealed class StepAdmissionTests
{
    private static StepAdmission Admission(int light, int relays) => Admission(new UploaderOptions
    {
        MaxLightSteps = light,
        RelayBufferSize = 1024 * 1024,
        RelayMemoryBudget = relays * 1024L * 1024,
        RelayAdmissionWait = TimeSpan.FromMilliseconds(50),
    });

    private static StepAdmission Admission(UploaderOptions options) => new(Options.Create(options), new RelayBudget(Options.Create(options)));

    [Fact]
    public async Task A_step_that_turns_into_a_relay_gives_its_light_slot_back_so_light_steps_keep_flowing()
    {
        var admission = Admission(light: 2, relays: 4);
        using var first = await admission.EnterAsync(CancellationToken.None);
        using var second = await admission.EnterAsync(CancellationToken.None);
        Assert.Equal(2, admission.LightInUse);

        using var relay = await first.EnterRelayAsync(CancellationToken.None);

        Assert.NotNull(relay);
        Assert.Equal(1024 * 1024, relay.Buffer.Length);
        Assert.Equal((1, 1), (admission.LightInUse, admission.Relays.Active));
        Assert.Equal(1, await admission.WaitForLightSlotsAsync(CancellationToken.None));
        first.Dispose();
        Assert.Equal(1, admission.LightInUse);
    }

    [Fact]
    public async Task Relays_share_the_memory_budget_and_one_that_finds_no_room_in_time_is_turned_away()
    {
        var admission = Admission(light: 8, relays: 2);
        Assert.Equal(2, admission.Relays.Capacity);
        var slots = new List<StepSlot>();
        for (var i = 0; i < 3; i++) slots.Add(await admission.EnterAsync(CancellationToken.None));

        var a = await slots[0].EnterRelayAsync(CancellationToken.None);
        var b = await slots[1].EnterRelayAsync(CancellationToken.None);
        var refused = await slots[2].EnterRelayAsync(CancellationToken.None);

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(refused);
        Assert.Equal(0, admission.LightInUse);
        a.Dispose();
        a.Dispose();
        using var third = await (await admission.EnterAsync(CancellationToken.None)).EnterRelayAsync(CancellationToken.None);
        Assert.NotNull(third);
        Assert.Equal(2, admission.Relays.Active);
    }

    [Fact]
    public void The_wait_for_relay_room_never_outlasts_half_the_lease()
    {
        var options = new UploaderOptions { LeaseDuration = TimeSpan.FromSeconds(10), RelayAdmissionWait = TimeSpan.FromMinutes(1) };
        Assert.Equal(TimeSpan.FromSeconds(5), StepSlot.RelayWait(options));
        options.RelayAdmissionWait = TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.FromSeconds(2), StepSlot.RelayWait(options));
    }
}

using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.Relay.Pages;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>Issue 9 (pages): the flow store is bounded, expires on the injected clock, and finds flows only by their full secrets.</summary>
public sealed class RelayFlowStoreTests
{
    [Fact]
    public void Ids_states_verifiers_and_go_ids_are_distinct_32_byte_base64url_values()
    {
        var store = new RelayFlowStore(new ManualTimeProvider());
        var flow = store.TryCreate("alicloud", RelayFlowMode.Qr, pkce: true)!;
        var values = new[] { flow.Id, flow.State, flow.CodeVerifier!, flow.GoId! };
        Assert.All(values, v => Assert.Matches("^[A-Za-z0-9_-]{43}$", v));
        Assert.Equal(4, values.Distinct().Count());
        Assert.Null(store.TryCreate("alicloud", RelayFlowMode.Browser, pkce: false)!.CodeVerifier);
    }

    [Fact]
    public void A_flow_is_found_by_its_id_go_id_and_state_only_when_they_match_exactly()
    {
        var store = new RelayFlowStore(new ManualTimeProvider());
        var flow = store.TryCreate("alicloud", RelayFlowMode.Qr, pkce: true)!;
        Assert.Same(flow, store.FindById(flow.Id));
        Assert.Same(flow, store.FindByGoId(flow.GoId));
        Assert.Same(flow, store.FindByState(flow.State));
        Assert.Null(store.FindByState(flow.State[..^1]));
        Assert.Null(store.FindByState(flow.Id));
        Assert.Null(store.FindById(flow.State));
        Assert.Null(store.FindByState(""));
        Assert.Null(store.FindByState(null));
        store.Remove(flow);
        Assert.Null(store.FindById(flow.Id));
        Assert.Null(store.FindByState(flow.State));
        Assert.Null(store.FindByGoId(flow.GoId));
    }

    [Fact]
    public void Flows_expire_after_ten_minutes_and_a_full_store_refuses_until_some_have_expired()
    {
        var time = new ManualTimeProvider();
        var store = new RelayFlowStore(time, capacity: 3);
        var first = store.TryCreate("alicloud", RelayFlowMode.Browser, pkce: false)!;
        time.Advance(TimeSpan.FromMinutes(5));
        store.TryCreate("alicloud", RelayFlowMode.Browser, pkce: false);
        store.TryCreate("alicloud", RelayFlowMode.Browser, pkce: false);
        Assert.Null(store.TryCreate("alicloud", RelayFlowMode.Browser, pkce: false));
        Assert.False(store.IsExpired(first));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(store.IsExpired(first));
        Assert.NotNull(store.TryCreate("alicloud", RelayFlowMode.Browser, pkce: false)); // the expired one made room
        Assert.Null(store.FindById(first.Id));
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void A_device_flow_lives_no_longer_than_its_device_code()
    {
        var time = new ManualTimeProvider();
        var store = new RelayFlowStore(time);
        var device = new OpenList.DriverHost.Drivers.Relay.RelayDeviceCode("d", "U", new Uri("https://p.invalid/"), null, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(7));
        var flow = store.TryCreate("disktop", RelayFlowMode.Device, pkce: false, device, device.ExpiresIn)!;
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(3), flow.ExpiresAt);
        Assert.Equal(TimeSpan.FromSeconds(7), flow.PollInterval);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(7), flow.NextPollAt);
    }
}

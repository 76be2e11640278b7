using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.Downloads;

namespace OpenList.DriverHost.DriverHost.Tests.Downloads;

public sealed class DownloadSignerTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    [Fact]
    public void A_never_expiring_sign_matches_OpenLists_format()
    {
        // Independently computed: base64url-with-padding(HMAC-SHA256("test-key", path + ":0")) + ":0".
        var signer = new DownloadSigner("test-key", _clock);
        Assert.Equal("Bp2jYFNwx8z60LMW3J3Ix9c8Y49yY0X30IE9zDrxca0=:0", signer.Sign("/115/Movies/a b.mkv"));
    }

    [Fact]
    public void An_expiring_sign_carries_its_unix_expiry_and_is_refused_after_it()
    {
        var signer = new DownloadSigner("test-key", _clock);
        var sign = signer.Sign("/115/Movies/a b.mkv", TimeSpan.FromSeconds(100_000_000));
        Assert.Equal("Iz6XlAohHjk-3ymbDDpGybkqSUiLXy1vhXdV_EFzpa8=:1900000000", sign);
        Assert.Null(signer.Check("/115/Movies/a b.mkv", sign));

        _clock.Advance(TimeSpan.FromSeconds(100_000_001));
        Assert.Equal("expired sign", signer.Check("/115/Movies/a b.mkv", sign));
    }

    [Theory]
    [InlineData(null, "missing sign")]
    [InlineData("", "missing sign")]
    [InlineData("no-colon", "malformed sign")]
    [InlineData("abc:-5", "malformed sign")]
    [InlineData("abc:x", "malformed sign")]
    [InlineData("Bp2jYFNwx8z60LMW3J3Ix9c8Y49yY0X30IE9zDrxca0=:0", "sign mismatch")]
    public void Bad_signs_are_refused_with_a_reason(string? sign, string reason)
    {
        var signer = new DownloadSigner("test-key", _clock);
        Assert.Equal(reason, signer.Check("/115/Movies/other.mkv", sign));
    }

    [Fact]
    public void A_trailing_slash_added_by_a_player_is_ignored_and_another_key_does_not_verify()
    {
        var signer = new DownloadSigner("test-key", _clock);
        var sign = signer.Sign("/local/a.txt");
        Assert.Null(signer.Check("/local/a.txt", sign + "/"));
        Assert.Equal("sign mismatch", new DownloadSigner("other-key", _clock).Check("/local/a.txt", sign));
    }
}

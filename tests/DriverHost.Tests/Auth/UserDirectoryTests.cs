using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Config;

namespace OpenList.DriverHost.DriverHost.Tests.AuthTests;

public sealed class UserDirectoryTests
{
    private static readonly string SecretHash = PasswordHasher.Hash("secret", 1000);
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Right_password_gives_the_user_with_permissions_and_base_path()
    {
        var users = Directory(new UserRecord { Username = "w", PasswordHash = SecretHash, Permissions = ["read", "write"], BasePath = "/local" });

        Assert.Equal(new AuthenticatedUser("w", CanWrite: true, "/local"), users.Authenticate("w", "secret"));
        Assert.True(users.HasUsers);
    }

    [Fact]
    public void Wrong_password_and_unknown_user_give_null()
    {
        var users = Directory(new UserRecord { Username = "r", PasswordHash = SecretHash });

        Assert.Null(users.Authenticate("r", "Secret"));
        Assert.Null(users.Authenticate("R", "secret"));
        Assert.Null(users.Authenticate("nobody", "secret"));
        Assert.Equal(0, users.CachedVerifications);
    }

    [Fact]
    public void Successes_are_remembered_for_a_short_time_then_verified_again()
    {
        var users = Directory(new UserRecord { Username = "r", PasswordHash = SecretHash });

        Assert.NotNull(users.Authenticate("r", "secret"));
        Assert.Equal(1, users.CachedVerifications);
        Assert.NotNull(users.Authenticate("r", "secret"));
        Assert.Null(users.Authenticate("r", "wrong"));

        _time.Advance(UserDirectory.DefaultCacheDuration + TimeSpan.FromSeconds(1));
        Assert.NotNull(users.Authenticate("r", "secret"));
        Assert.Equal(1, users.CachedVerifications);
    }

    [Fact]
    public void Replace_forgets_remembered_passwords()
    {
        var users = Directory(new UserRecord { Username = "r", PasswordHash = SecretHash });
        Assert.NotNull(users.Authenticate("r", "secret"));

        users.Replace([new UserRecord { Username = "r", PasswordHash = PasswordHasher.Hash("changed", 1000) }]);

        Assert.Equal(0, users.CachedVerifications);
        Assert.Null(users.Authenticate("r", "secret"));
        Assert.NotNull(users.Authenticate("r", "changed"));

        users.Replace([]);
        Assert.False(users.HasUsers);
    }

    private UserDirectory Directory(params UserRecord[] users) => new(users, _time);
}

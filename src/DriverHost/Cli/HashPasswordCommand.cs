using System.CommandLine;
using System.Text;
using OpenList.DriverHost.Auth;

namespace OpenList.DriverHost.Cli;

/// <summary>
/// <c>driverhost hash-password</c>: prints a <c>password_hash</c> for drivers.json. Reads the first line of standard
/// input when it is redirected (<c>echo secret | driverhost hash-password</c>), otherwise prompts twice without echo.
/// Only the hash goes to standard output.
/// </summary>
public static class HashPasswordCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("hash-password", "Print a password_hash for a user in drivers.json (reads stdin when redirected, otherwise prompts).");
        command.SetAction(_ => Run(console));
        return command;
    }

    /// <summary>Reads the password, prints its hash; returns the exit code (0 ok, 1 refused).</summary>
    public static int Run(CliConsole console, int iterations = PasswordHasher.DefaultIterations)
    {
        var password = console.IsInputRedirected ? ReadRedirected(console.In) : ReadInteractive(console);
        if (password is null)
        {
            return 1;
        }

        if (password.Length == 0)
        {
            console.Error.WriteLine("error: the password is empty; nothing was hashed");
            return 1;
        }

        console.Out.WriteLine(PasswordHasher.Hash(password, iterations));
        return 0;
    }

    /// <summary>The first line of <paramref name="input"/> without its line ending; empty when there is none.</summary>
    public static string ReadRedirected(TextReader input) => input.ReadLine() ?? "";

    /// <summary>Prompts twice on the error stream; null (after saying why) when the two entries differ.</summary>
    public static string? ReadInteractive(CliConsole console)
    {
        console.Error.Write("Password: ");
        var first = ReadHidden(console.ReadKey);
        console.Error.WriteLine();
        if (first.Length == 0)
        {
            return first;
        }

        console.Error.Write("Repeat password: ");
        var second = ReadHidden(console.ReadKey);
        console.Error.WriteLine();
        if (first != second)
        {
            console.Error.WriteLine("error: the passwords do not match; nothing was hashed");
            return null;
        }

        return first;
    }

    /// <summary>Collects keys until Enter; Backspace deletes, other control keys are ignored.</summary>
    public static string ReadHidden(Func<ConsoleKeyInfo> readKey)
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = readKey();
            if (key.Key == ConsoleKey.Enter || key.KeyChar is '\r' or '\n')
            {
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    var remove = text.Length >= 2 && char.IsLowSurrogate(text[^1]) && char.IsHighSurrogate(text[^2]) ? 2 : 1;
                    text.Length -= remove;
                }

                continue;
            }

            if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}

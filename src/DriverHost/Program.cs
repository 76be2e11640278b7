using OpenList.DriverHost.Cli;

return await CliRoot.Build().Parse(args).InvokeAsync();

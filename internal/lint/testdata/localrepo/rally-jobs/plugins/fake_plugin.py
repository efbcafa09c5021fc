from rally.task import scenario


@scenario.configure(name="FakePlugin.testplugin")
class FakePlugin(scenario.Scenario):
    def run(self, factor=1):
        pass

// A third-party EPCIS 2.0 client against a running `serialtrack serve`: epcis2.js (npm)
// builds an EPCISDocument of four events, validates it with its own schema check,
// captures it through POST /capture, polls the capture job it was sent to, then reads
// GET /events and checks that every event came back. Writes the document sent and the
// query document received to OUT_DIR (captured.json, events.json) for ajv.
//
//   node epcis2js_client.js BASE_URL OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const {
  setup, capture, CaptureResponse, EPCISDocument, ObjectEvent, AggregationEvent,
  TransformationEvent, QuantityElement, ReadPoint, BizLocation, cbv,
} = require('epcis2.js');

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: node epcis2js_client.js BASE_URL OUT_DIR');
  process.exit(2);
}

function fail(message) {
  console.error(`epcis2js_client: ${message}`);
  process.exit(1);
}

async function main() {
  setup({ apiUrl: `${base}/`, documentValidation: true });
  const id = () => `urn:uuid:${crypto.randomUUID()}`;
  const sgtins = [1, 2, 3].map((n) => `urn:epc:id:sgtin:0614141.107346.${2017 + n}`);
  const readPoint = new ReadPoint().setId('urn:epc:id:sgln:0614141.07346.1234');
  const bizLocation = new BizLocation().setId('urn:epc:id:sgln:0614141.07346.0');
  const time = (minute) => `2024-03-01T10:0${minute}:00.000+01:00`;

  const commissioning = new ObjectEvent()
    .setEventID(id())
    .setEventTime(time(0))
    .addEPCList(sgtins)
    .setAction(cbv.actionTypes.add)
    .setBizStep(cbv.bizSteps.commissioning)
    .setDisposition(cbv.dispositions.active)
    .setReadPoint(readPoint)
    .setBizLocation(bizLocation);
  const packing = new AggregationEvent()
    .setEventID(id())
    .setEventTime(time(1))
    .setParentId('urn:epc:id:sscc:0614141.1234567890')
    .addChildEPCList(sgtins)
    .setAction(cbv.actionTypes.add)
    .setBizStep(cbv.bizSteps.packing)
    .setDisposition(cbv.dispositions.in_progress)
    .setReadPoint(readPoint);
  const shipping = new ObjectEvent()
    .setEventID(id())
    .setEventTime(time(2))
    .addQuantity(new QuantityElement()
      .setEpcClass('urn:epc:class:lgtin:4012345.012345.998877')
      .setQuantity(200)
      .setUom('KGM'))
    .setAction(cbv.actionTypes.observe)
    .setBizStep(cbv.bizSteps.shipping)
    .setDisposition(cbv.dispositions.in_transit)
    .setReadPoint(readPoint);
  const transformation = new TransformationEvent()
    .setEventID(id())
    .setEventTime(time(3))
    .addInputEPC(sgtins[0])
    .addOutputEPC('urn:epc:id:sgtin:0614141.107346.3000')
    .setBizStep(cbv.bizSteps.creating_class_instance)
    .setReadPoint(readPoint);
  const events = [commissioning, packing, shipping, transformation];

  const doc = new EPCISDocument().setCreationDate(new Date().toISOString());
  events.forEach((e) => doc.addEvent(e));
  fs.writeFileSync(path.join(outDir, 'captured.json'), JSON.stringify(doc.toObject(), null, 1));

  const res = await capture(doc);  // throws when epcis2.js finds the document invalid
  if (res.status !== 202) fail(`POST /capture answered ${res.status}: ${await res.text()}`);
  const job = new CaptureResponse(res);
  await job.pollForTheCaptureToFinish(20, 100);
  if (job.getRunningStatus() !== false || job.getSuccessStatus() !== true)
    fail(`capture job ${job.getLocation()}: running ${job.getRunningStatus()}, ` +
         `success ${job.getSuccessStatus()}, errors ${JSON.stringify(job.getErrors())}`);

  const answer = await fetch(`${base}/events?perPage=100`, {
    headers: { Accept: 'application/ld+json', 'GS1-EPC-Format': 'Always_EPC_URN' },
  });
  const text = await answer.text();
  if (answer.status !== 200) fail(`GET /events answered ${answer.status}: ${text}`);
  fs.writeFileSync(path.join(outDir, 'events.json'), text);
  const got = JSON.parse(text).epcisBody.queryResults.resultsBody.eventList;
  const ids = new Set(got.map((e) => e.eventID));
  for (const e of events)
    if (!ids.has(e.getEventID())) fail(`GET /events lacks ${e.getEventID()}: ${text}`);
  const back = got.find((e) => e.eventID === packing.getEventID());
  if (back.parentID !== 'urn:epc:id:sscc:0614141.1234567890' || back.childEPCs.length !== 3)
    fail(`the AggregationEvent came back changed: ${JSON.stringify(back)}`);
  console.log(`epcis2js_client: captured ${events.length} events with epcis2.js, ` +
              `job ${job.getLocation()}, ${got.length} returned by GET /events`);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
